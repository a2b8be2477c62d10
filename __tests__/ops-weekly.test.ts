/** The weekly run's orderings, one test per failure point, in process over fakes of the ports. */
import { describe, expect, it } from '@jest/globals';
import { dryRunArchiveSink, dryRunDatabase, dryRunPublisher, dryRunReportArtifacts, dryRunWatermarkStore } from '../src/adapters/dryRun.js';
import { weeklyOperation } from '../src/ops/weekly.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { fakeRun, lessonPr, makeFakes, RECURRING, REPO, type Fakes } from './support/fakePorts.js';

const weekly = weeklyOperation({ digest: true, tiers: true });
const distill = weeklyOperation({ digest: true, tiers: false });
const promote = weeklyOperation({ digest: false, tiers: true });
const WEEK1 = '2026-03-15T12:00:00Z';
const WEEK2 = '2026-03-22T12:00:00Z';

const recurring = () => RECURRING.map((text, i) => lessonPr(11 + i, text));

async function accessCounts(fakes: Fakes): Promise<Map<string, number>> {
  const store = await LessonsStore.open(fakes.saved(), 'saved');
  try {
    return new Map(store.listLessons({ includeRetired: true }).map((l) => [l.id, l.access_count]));
  } finally {
    store.close();
  }
}

/** Uses counted since `before`, per lesson (recapture counts recurrences too, so counts start above 0). */
async function usesSince(fakes: Fakes, before: Map<string, number>): Promise<number[]> {
  const now = await accessCounts(fakes);
  return [...now].map(([id, n]) => n - (before.get(id) ?? 0));
}

async function fails(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a failure');
}

describe('weekly: save the database, then post, then move the watermark', () => {
  it('in that order, on one loaded database, with one save', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    const base = await accessCounts(fakes);
    const run = fakeRun(fakes, { mode: 'weekly' }, WEEK1);
    await weekly(run);
    expect(fakes.events).toEqual(['open', 'catch-up since 2026-03-01', 'save', 'publish created', 'watermark']);
    expect(run.outputs).toMatchObject({ 'digest-action': 'created', 'candidate-count': 1, 'issue-number': 100, archived: 0 });
    // Counted before the tier moves: the lesson recaptured twice (2 uses) is now used 3 times, so hot.
    expect(run.outputs.promoted).toBe(1);
    expect(await usesSince(fakes, base)).toEqual([1, 1, 1]); // shown in the posted digest: used once
    expect(JSON.parse(fakes.watermarkText()!)).toEqual({ last_run: '2026-03-15T12:00:00Z' });
  });

  it('the save fails: nothing posted, the watermark stays; the next run loses nothing and posts once', async () => {
    const fakes = await makeFakes({ initial: recurring(), catchUpPrs: [lessonPr(20, 'Quote every shell variable expansion so paths with spaces do not split into words.')] });
    const base = await accessCounts(fakes);
    fakes.fail.save = 1;
    expect(await fails(weekly(fakeRun(fakes, { mode: 'weekly' }, WEEK1)))).toBe('save failed (fake)');
    expect(fakes.events).toEqual(['open', 'catch-up since 2026-03-01', 'save failed']);
    expect(fakes.issues).toEqual([]);
    expect(fakes.watermarkText()).toBeNull();

    await weekly(fakeRun(fakes, { mode: 'weekly' }, WEEK2));
    expect(fakes.issues).toHaveLength(1);
    expect(fakes.events.slice(3)).toEqual(['open', 'catch-up since 2026-03-08', 'save', 'publish created', 'watermark']);
    expect((await usesSince(fakes, base)).sort()).toEqual([0, 1, 1, 1]); // the caught-up PR is in the database now
  });

  it('the post fails after the save: the watermark stays and the re-run posts once', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    const base = await accessCounts(fakes);
    fakes.fail.publish = 1;
    await fails(weekly(fakeRun(fakes, { mode: 'weekly' }, WEEK1)));
    expect(fakes.events.slice(-2)).toEqual(['save', 'publish failed']);
    expect(fakes.watermarkText()).toBeNull();
    await weekly(fakeRun(fakes, { mode: 'weekly' }, WEEK1));
    expect(fakes.issues).toHaveLength(1);
    expect(fakes.events.slice(-2)).toEqual(['publish created', 'watermark']);
    // Counted by the saved run and by the run that posted: one use too many, nothing lost (see ops/weekly.ts).
    expect(await usesSince(fakes, base)).toEqual([2, 2, 2]);
  });

  it('the watermark write fails after the post: the re-run finds the issue, posts nothing and counts no second use', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    const base = await accessCounts(fakes);
    fakes.fail.watermark = 1;
    await fails(weekly(fakeRun(fakes, { mode: 'weekly' }, WEEK1)));
    expect(fakes.issues).toHaveLength(1);
    const rerun = fakeRun(fakes, { mode: 'weekly' }, WEEK1);
    await weekly(rerun);
    expect(fakes.issues).toHaveLength(1);
    expect(rerun.outputs['digest-action']).toBe('existing');
    expect(await usesSince(fakes, base)).toEqual([1, 1, 1]);
    expect(fakes.watermarkText()).not.toBeNull();
  });

  it('an older database (the digest is already posted, its use counts lost): the marker keeps it from a second post', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    await weekly(fakeRun(fakes, { mode: 'weekly', 'dry-run': 'false' }, WEEK1));
    const older = await makeFakes({ initial: recurring() });
    const base = await accessCounts(older);
    older.issues.push(...fakes.issues);
    const run = fakeRun(older, { mode: 'weekly' }, WEEK1);
    await weekly(run);
    expect(older.issues).toHaveLength(1);
    expect(run.outputs['digest-action']).toBe('existing');
    expect(await usesSince(older, base)).toEqual([0, 0, 0]);
  });

  it('catch-up fails: the run still distills, saves and posts, and says so', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    fakes.fail.catchUp = 1;
    const run = fakeRun(fakes, { mode: 'weekly' }, WEEK1);
    await weekly(run);
    expect(run.summary).toContain('Catch-up skipped: catchUp failed (fake)');
    expect(fakes.events.slice(-3)).toEqual(['save', 'publish created', 'watermark']);
  });

  it('a first run (empty database) catches up 90 days; with catch-up-days 0 it does not catch up at all', async () => {
    const fresh = await makeFakes({ catchUpPrs: recurring() });
    const run = fakeRun(fresh, { mode: 'weekly' }, WEEK1);
    await weekly(run);
    expect(fresh.events[1]).toBe('catch-up since 2025-12-15');
    expect(run.outputs['candidate-count']).toBe(1);

    const off = await makeFakes({ catchUpPrs: recurring() });
    const offRun = fakeRun(off, { mode: 'weekly', 'catch-up-days': '0' }, WEEK1);
    await weekly(offRun);
    expect(off.events.filter((e) => e.startsWith('catch-up'))).toEqual([]);
    expect(offRun.outputs['candidate-count']).toBe(0);
  });

  it('a last_run in the future warns and counts as a first run: the digest is not silently dropped', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    await fakes.ports.watermark.write('{"last_run": "2027-01-01T00:00:00Z"}\n');
    const run = fakeRun(fakes, { mode: 'weekly' }, WEEK1);
    await weekly(run);
    expect(run.logs.filter((l) => l.startsWith('warning:')).join('\n')).toMatch(/last_run '2027-01-01T00:00:00Z' is in the future .*treating this as a first run/);
    expect(run.outputs['digest-action']).toBe('created');
  });

  it('archive export fails: the digest is still posted and the watermark moved, lessons keep their tier, the run fails', async () => {
    const fakes = await makeFakes({
      initial: recurring(),
      seed: (s) => s.upsertLessons([{ id: 'old', ts: '2024-01-10T00:00:00Z', project: REPO, type: 'pattern', key: 'k-old', insight: 'An old cold lesson nobody used.', confidence: 7, source: 'observed', tier: 'cold' }]),
    });
    fakes.fail.archive = 1;
    const run = fakeRun(fakes, { mode: 'weekly' }, WEEK1);
    expect(await fails(weekly(run))).toBe('1 lessons could not be archived (their tiers are unchanged)');
    expect(run.errors).toEqual(['lesson old: archive export to 2024-01.md failed: archive failed (fake)']);
    expect(fakes.events.slice(-3)).toEqual(['save', 'publish created', 'watermark']);
    const store = await LessonsStore.open(fakes.saved(), 'saved');
    expect(store.getLesson('old')).toMatchObject({ tier: 'cold', archived_path: null });
    store.close();
  });

  it('promote-tiers: 100 lessons due for archival, one archive write, one save, no post, no watermark', async () => {
    const fakes = await makeFakes({
      seed: (s) =>
        s.upsertLessons(
          Array.from({ length: 100 }, (_, i) => ({
            id: `old-${i}`,
            ts: new Date(Date.parse('2024-01-01T00:00:00Z') + i * 2 * 86_400_000).toISOString(),
            project: REPO,
            type: 'pattern' as const,
            key: `k-${i}`,
            insight: `Old lesson number ${i}, cold and unused.`,
            confidence: 7,
            source: 'observed' as const,
            tier: 'cold' as const,
          })),
        ),
    });
    const run = fakeRun(fakes, { mode: 'promote-tiers' }, WEEK1);
    await promote(run);
    expect(run.outputs).toMatchObject({ archived: 100 });
    expect(fakes.archiveWrites()).toBe(1);
    expect(fakes.events).toEqual(['open', 'archive', 'save']);
  });

  it('distill mode: no tier moves; nothing new the next week: nothing posted, the watermark moves on', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    await distill(fakeRun(fakes, { mode: 'distill' }, WEEK1));
    expect(fakes.archiveWrites()).toBe(0);
    const next = fakeRun(fakes, { mode: 'distill' }, WEEK2);
    await distill(next);
    expect(next.outputs['digest-action']).toBe('skipped-empty');
    expect(fakes.issues).toHaveLength(1);
    expect(JSON.parse(fakes.watermarkText()!)).toEqual({ last_run: '2026-03-22T12:00:00Z' });
  });

  it('dry run (the decorators of adapters/dryRun.ts): reads everything, writes nothing, says what it would do', async () => {
    const fakes = await makeFakes({ initial: recurring() });
    const base = await accessCounts(fakes);
    const run = fakeRun(fakes, { mode: 'weekly', 'dry-run': 'true' }, WEEK1);
    const p = fakes.ports;
    run.ports = {
      ...p,
      database: dryRunDatabase(p.database, run.log),
      publisher: dryRunPublisher(p.publisher, run.log, { repository: REPO }),
      watermark: dryRunWatermarkStore(p.watermark, run.log),
      archive: dryRunArchiveSink(p.archive, run.log),
      reports: dryRunReportArtifacts(p.reports, run.log),
    };
    await weekly(run);
    expect(fakes.events).toEqual(['open', 'catch-up since 2026-03-01']);
    expect(run.outputs['digest-action']).toBe('dry-run');
    expect(run.logs.filter((l) => l.startsWith('dry-run:'))).toEqual([
      expect.stringMatching(/^dry-run: would save the lessons database \(3 lessons, \d+ changes\)$/),
      expect.stringMatching(/^dry-run: would keep the DigestReport JSON/),
      expect.stringMatching(/^dry-run: would create issue ".*" in acme\/app/),
    ]);
    expect(fakes.saved()).not.toBeNull(); // the seed only: unchanged
    expect(await usesSince(fakes, base)).toEqual([0, 0, 0]);
  });
});
