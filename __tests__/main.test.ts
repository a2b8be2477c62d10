/** main.ts in process, with @actions/core replaced (jest.unstable_mockModule): inputs in, outputs and summary out. */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from './fixtures/actionsCore.js';
import { makeTempDir } from './helpers/fixtures.js';

jest.unstable_mockModule('@actions/core', () => core);
const { run } = await import('../src/main.js');
const { LessonsStore } = await import('../src/store/lessonsStore.js');

const NOW = Date.parse('2026-03-15T12:00:00Z');
let tmp: ReturnType<typeof makeTempDir>;
const saved = process.env;

beforeEach(() => {
  tmp = makeTempDir();
  process.env = { ...saved, GITHUB_REPOSITORY: 'acme/app', GITHUB_EVENT_NAME: 'schedule', GITHUB_API_URL: 'http://127.0.0.1:9' };
  delete process.env.GITHUB_EVENT_PATH;
  delete process.env.RUNNER_TEMP;
});
afterEach(() => {
  process.env = saved;
  tmp.cleanup();
});

const outputs = () => Object.fromEntries(core.setOutput.mock.calls.map(([k, v]) => [k, v]));

describe('main', () => {
  it('promote-tiers on a database file: archives, saves, sets outputs and writes the summary', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const store = await LessonsStore.open(null, 'seed');
    store.upsertLessons([{ id: 'old', ts: '2024-01-10T00:00:00Z', project: 'acme/app', type: 'pattern', key: 'k-old', insight: 'An old cold lesson nobody used.', confidence: 7, source: 'observed', tier: 'cold' }]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(db, store.export());
    store.close();
    core.resetCore({ mode: 'promote-tiers', 'github-token': 'ghs_x', storage: 'file', 'db-path': db });
    await run(() => NOW);
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(outputs()).toEqual({ promoted: 0, demoted: 1, archived: 1 });
    expect(core.setSecret).toHaveBeenCalledWith('ghs_x');
    expect(readFileSync(join(tmp.dir, 'archive', '2024-01.md'), 'utf8')).toContain('k-old');
    const reread = await LessonsStore.open(readFileSync(db), 'saved');
    expect(reread.getLesson('old')).toMatchObject({ tier: 'archival' });
    reread.close();
    expect(core.summaryParts[0]).toBe('# Mycelium promote-tiers');
    expect(core.summaryParts[1]).toContain('Tiers: promoted 0, demoted 1 (archived 1), errors 0');
  });

  it('distill on an empty database file with catch-up off: nothing to post, the watermark file is written', async () => {
    const db = join(tmp.dir, 'lessons.db');
    core.resetCore({ mode: 'distill', 'github-token': 'ghs_x', storage: 'file', 'db-path': db, 'catch-up-days': '0' });
    await run(() => NOW);
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(outputs()).toMatchObject({ 'candidate-count': 0, 'digest-action': 'skipped-empty' });
    expect(JSON.parse(readFileSync(join(tmp.dir, 'state.json'), 'utf8'))).toEqual({ last_run: '2026-03-15T12:00:00Z' });
  });

  it('dry run on a file: reads, writes no database and no watermark', async () => {
    const db = join(tmp.dir, 'lessons.db');
    core.resetCore({ mode: 'weekly', 'github-token': 'ghs_x', storage: 'file', 'db-path': db, 'catch-up-days': '0', 'dry-run': 'true' });
    await run(() => NOW);
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(existsSync(db)).toBe(false);
    expect(existsSync(join(tmp.dir, 'state.json'))).toBe(false);
    expect(core.summaryParts[1]).toMatch(/^Dry run: nothing is written to GitHub\./);
  });

  it('a wrong input fails the step with one line, in the summary too', async () => {
    core.resetCore({ mode: 'capture-everything', 'github-token': 'ghs_x' });
    await run(() => NOW);
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0]![0]).toMatch(/mode must be one of capture, distill, promote-tiers, weekly/);
    expect(core.summaryParts[0]).toBe('# Mycelium mycelium');
  });

  it('an empty token fails before any work', async () => {
    core.resetCore({ mode: 'weekly', storage: 'file', 'db-path': join(tmp.dir, 'x.db') });
    await run(() => NOW);
    expect(core.setFailed.mock.calls[0]![0]).toMatch(/input 'github-token' is empty/);
    expect(existsSync(join(tmp.dir, 'x.db'))).toBe(false);
  });
});
