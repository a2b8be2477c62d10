/** mode: capture, in process over fakes of the ports: one test per failure point. */
import { describe, expect, it } from '@jest/globals';
import { readCaptureFailures, recordCaptureFailures } from '../src/ops/captureFailures.js';
import { captureMode } from '../src/ops/captureMode.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { fakeRun, lessonPr, makeFakes, RECURRING } from './support/fakePorts.js';

const pr = (n: number) => ({ kind: 'pr' as const, number: n, pull: undefined });

async function storedPrs(bytes: Uint8Array | null): Promise<number[]> {
  const store = await LessonsStore.open(bytes, 'saved');
  try {
    return [...store.capturedPrNumbers('acme/app')].sort((a, b) => a - b);
  } finally {
    store.close();
  }
}

describe('capture', () => {
  it('reads the PR, captures it with catch-up into one loaded database, saves once', async () => {
    const fakes = await makeFakes({ pulls: [lessonPr(11, RECURRING[0]!)], catchUpPrs: [lessonPr(9, RECURRING[1]!)] });
    const run = fakeRun(fakes, { mode: 'capture' }, undefined, () => pr(11));
    await captureMode(run);
    expect(fakes.events).toEqual(['open', 'catch-up since 2025-12-15', 'save']);
    expect(run.outputs).toEqual({ 'lessons-captured': 2, 'lessons-new': 2, 'prs-captured': 2 });
    expect(await storedPrs(fakes.saved())).toEqual([9, 11]);
  });

  it('the PR cannot be read: the database is not even opened', async () => {
    const fakes = await makeFakes({ pulls: [] });
    const run = fakeRun(fakes, { mode: 'capture' }, undefined, () => pr(11));
    await expect(captureMode(run)).rejects.toThrow('PR #11 not found (fake)');
    expect(fakes.events).toEqual([]);
  });

  it('the save fails: the run fails, and the next run captures the same PR again (nothing is lost)', async () => {
    const fakes = await makeFakes({ pulls: [lessonPr(11, RECURRING[0]!)] });
    fakes.fail.save = 1;
    await expect(captureMode(fakeRun(fakes, { mode: 'capture', 'catch-up-days': '0' }, undefined, () => pr(11)))).rejects.toThrow('save failed');
    expect(fakes.saved()).toBeNull();
    const retry = fakeRun(fakes, { mode: 'capture', 'catch-up-days': '0' }, undefined, () => pr(11));
    await captureMode(retry);
    expect(retry.outputs['lessons-new']).toBe(1);
    expect(await storedPrs(fakes.saved())).toEqual([11]);
  });

  it('catch-up fails: this PR is still captured and saved', async () => {
    const fakes = await makeFakes({ pulls: [lessonPr(11, RECURRING[0]!)] });
    fakes.fail.catchUp = 1;
    const run = fakeRun(fakes, { mode: 'capture' }, undefined, () => pr(11));
    await captureMode(run);
    expect(run.summary).toContain('Catch-up skipped: catchUp failed (fake)');
    expect(await storedPrs(fakes.saved())).toEqual([11]);
  });

  it('nothing to capture (closed without merging): outputs 0, nothing opened', async () => {
    const fakes = await makeFakes();
    const run = fakeRun(fakes, { mode: 'capture' }, undefined, () => ({ kind: 'skip', reason: 'PR #3 was closed without merging: nothing to capture' }));
    await captureMode(run);
    expect(run.outputs).toEqual({ 'lessons-captured': 0, 'lessons-new': 0 });
    expect(run.summary).toEqual(['PR #3 was closed without merging: nothing to capture']);
    expect(fakes.events).toEqual([]);
  });

  it('a PR whose capture keeps failing: recorded with its reason, retried for 3 runs, then given up; the others are captured', async () => {
    const fakes = await makeFakes({ pulls: [lessonPr(11, RECURRING[0]!), lessonPr(12, RECURRING[1]!), lessonPr(13, RECURRING[2]!), lessonPr(14, RECURRING[0]!)], failingPrs: [7] });
    const runs = [];
    for (const n of [11, 12, 13]) {
      const run = fakeRun(fakes, { mode: 'capture' }, undefined, () => pr(n));
      await captureMode(run);
      runs.push(run);
    }
    expect(runs[0]!.summary).toContain('  capture of #7 failed: PR #7: capture took too long (fake)');
    const store = await LessonsStore.open(fakes.saved(), 'saved');
    expect(readCaptureFailures(store, 'acme/app')).toEqual({});
    expect([...store.capturedPrNumbers('acme/app')].sort()).toEqual([11, 12, 13, 7]); // 7 given up: recorded, no lessons
    store.close();
    expect(JSON.stringify(runs[1]!.summary)).not.toContain('given up');
    expect(runs[2]!.summary).toContain('  #7 given up after repeated failures (capture it with pr-number once fixed)');
    expect(runs[2]!.logs.join('\n')).toMatch(/acme\/app#7 failed in 3 runs, not retried any more \(last reason: PR #7: capture took too long \(fake\)\)/);
    // The fourth run does not ask for it again.
    const fourth = fakeRun(fakes, { mode: 'capture' }, undefined, () => pr(14));
    await captureMode(fourth);
    expect(JSON.stringify(fourth.summary)).not.toContain('#7');
  });

  it('after two failures the record holds the attempts and the reason; a later success forgets it', async () => {
    const fakes = await makeFakes({ pulls: [lessonPr(11, RECURRING[0]!), lessonPr(12, RECURRING[1]!)], failingPrs: [7] });
    for (const n of [11, 12]) await captureMode(fakeRun(fakes, { mode: 'capture' }, undefined, () => pr(n)));
    const store = await LessonsStore.open(fakes.saved(), 'saved');
    expect(readCaptureFailures(store, 'acme/app')).toEqual({ '7': { attempts: 2, reason: 'PR #7: capture took too long (fake)', last: '2026-03-15T12:00:00Z' } });
    recordCaptureFailures(store, 'acme/app', { failed: [], captured: [7] }, '2026-03-16T00:00:00Z', { info: () => {}, warning: () => {} });
    expect(readCaptureFailures(store, 'acme/app')).toEqual({});
    store.close();
  });
});
