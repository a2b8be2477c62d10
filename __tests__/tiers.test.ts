import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { directoryArchiveSink } from '../src/adapters/files.js';
import type { NewLesson } from '../src/core/lesson.js';
import { archiveMarker } from '../src/core/render.js';
import { archiveFileFor, planTierChanges } from '../src/core/tiers.js';
import { promoteTiers } from '../src/ops/promoteTiers.js';
import type { ArchiveSink } from '../src/ports/index.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { daysAgo, makeTempDir, NOW } from './helpers/fixtures.js';

function lesson(id: string, tier: NewLesson['tier'], access_count: number, ts: string): NewLesson {
  return {
    id,
    ts,
    project: 'acme/app',
    type: 'pattern',
    key: `bash-${id}`,
    insight: `Lesson ${id}: use git -C instead of cd in scripts`,
    confidence: 7,
    source: 'observed',
    tier,
    access_count,
    retro_pr: 100,
  };
}

const ROWS: NewLesson[] = [
  lesson('used-young', 'working', 3, daysAgo(10)), // → hot
  lesson('used-old', 'working', 7, daysAgo(400)), // → hot (use beats age)
  lesson('day-90', 'working', 2, daysAgo(90)), // not older than 90 days: stays
  lesson('day-91', 'working', 2, daysAgo(91)), // → cold
  lesson('working-400', 'working', 0, daysAgo(400)), // → cold, not straight to archival
  lesson('hot-unused-old', 'hot', 0, daysAgo(100)), // → cold
  lesson('hot-used', 'hot', 3, daysAgo(500)), // stays hot
  lesson('cold-200', 'cold', 0, daysAgo(200)), // stays cold
  lesson('cold-365', 'cold', 0, daysAgo(365)), // not older than 365 days: stays
  lesson('cold-old', 'cold', 1, '2025-02-10T08:00:00+00:00'), // → archival, 2025-02.md
  lesson('cold-old-offset', 'cold', 2, '2025-01-31T23:30:00-02:00'), // 2025-02-01 01:30 UTC → 2025-02.md
  lesson('cold-used-old', 'cold', 3, daysAgo(800)), // no rule moves it
  lesson('bad-ts-working', 'working', 0, 'not-a-timestamp'), // age 0: stays
  lesson('bad-ts-cold', 'cold', 0, 'yesterday-ish'), // age 0: stays
  lesson('archival', 'archival', 10, daysAgo(1000)), // untouched
];

const EXPECTED_TIERS: Record<string, string> = {
  'used-young': 'hot',
  'used-old': 'hot',
  'day-90': 'working',
  'day-91': 'cold',
  'working-400': 'cold',
  'hot-unused-old': 'cold',
  'hot-used': 'hot',
  'cold-200': 'cold',
  'cold-365': 'cold',
  'cold-old': 'archival',
  'cold-old-offset': 'archival',
  'cold-used-old': 'cold',
  'bad-ts-working': 'working',
  'bad-ts-cold': 'cold',
  archival: 'archival',
};

let tmp: ReturnType<typeof makeTempDir>;
let store: LessonsStore;
let archiveDir: string;

beforeEach(async () => {
  tmp = makeTempDir();
  archiveDir = join(tmp.dir, 'archive');
  store = await LessonsStore.open(null, 'test');
  store.upsertLessons(ROWS);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const tiers = (s: LessonsStore) => Object.fromEntries(s.listLessons({ includeRetired: true }).map((l) => [l.id, l.tier]));

describe('promote-tiers (SPEC §4)', () => {
  it('moves every row as the rules say, and reports the counts', async () => {
    const report = await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    expect(tiers(store)).toEqual(EXPECTED_TIERS);
    expect(report).toEqual({ promoted: 2, demoted: 5, archived: 2, errors: [] });
  });

  it('archives only after export to YYYY-MM.md (UTC month of ts), with archived_path set', async () => {
    await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    const file = join(archiveDir, '2025-02.md');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    for (const id of ['cold-old', 'cold-old-offset']) {
      expect(text.split(archiveMarker(id)).length - 1).toBe(1);
      expect(text).toContain(`### bash-${id}`);
      expect(text).toContain(`Lesson ${id}: use git -C instead of cd in scripts`);
      expect(store.getLesson(id)!.archived_path).toBe(file);
    }
    // Nothing else was exported, and rows that did not move have no archived_path.
    expect(text.match(/<!-- mycelium-lesson:/g)).toHaveLength(2);
    expect(store.getLesson('cold-200')!.archived_path).toBeNull();
  });

  it('leaves archival rows untouched, however used', async () => {
    const before = store.getLesson('archival');
    await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    expect(store.getLesson('archival')).toEqual(before);
  });

  it('an archive sink that fails leaves that lesson cold, reports an error, and applies the other moves', async () => {
    const failing: ArchiveSink = {
      describe: 'broken',
      read: async () => null,
      appendAll: async (additions) => {
        throw new Error(`disk full writing ${[...additions.keys()].join(', ')}`);
      },
    };
    const report = await promoteTiers(store, NOW, failing);
    expect(report.archived).toBe(0);
    expect(report.errors).toHaveLength(2);
    expect(report.errors[0]).toMatch(/lesson cold-old: archive export to 2025-02\.md failed: disk full writing 2025-02\.md/);
    expect(store.getLesson('cold-old')).toMatchObject({ tier: 'cold', archived_path: null });
    expect(tiers(store)).toEqual({ ...EXPECTED_TIERS, 'cold-old': 'cold', 'cold-old-offset': 'cold' });
  });

  it('all archive entries of a run go in one write; when it fails once, nothing is archived and the next run archives all', async () => {
    const real = directoryArchiveSink(archiveDir);
    const calls: string[][] = [];
    let failures = 1;
    const flaky: ArchiveSink = {
      ...real,
      appendAll: async (additions) => {
        calls.push([...additions.keys()]);
        if (failures-- > 0) throw new Error('transient');
        return real.appendAll(additions);
      },
    };
    const first = await promoteTiers(store, NOW, flaky);
    expect(first.archived).toBe(0);
    expect(first.errors).toHaveLength(2);
    expect(['cold-old', 'cold-old-offset'].map((id) => store.getLesson(id)!.tier)).toEqual(['cold', 'cold']);
    const second = await promoteTiers(store, NOW, flaky);
    expect(second.archived).toBe(3); // the two, and working-400 that the first run made cold
    expect(second.errors).toEqual([]);
    expect(['cold-old', 'cold-old-offset'].map((id) => store.getLesson(id)!.tier)).toEqual(['archival', 'archival']);
    expect(calls).toHaveLength(2); // one write per run, however many lessons
  });

  it('100 lessons due for archival: one write for the run', async () => {
    const many = await LessonsStore.open(null, 'many');
    try {
      many.upsertLessons(
        Array.from({ length: 100 }, (_, i) => lesson(`old-${i}`, 'cold', 0, daysAgo(400 + i * 3))),
      );
      let writes = 0;
      const real = directoryArchiveSink(archiveDir);
      const counting: ArchiveSink = { ...real, appendAll: async (a) => (writes++, real.appendAll(a)) };
      const report = await promoteTiers(many, NOW, counting);
      expect(report.archived).toBe(100);
      expect(writes).toBe(1);
    } finally {
      many.close();
    }
  });

  it('one step per run: a re-run moves what became due, appends only that, then nothing changes', async () => {
    const file = join(archiveDir, '2025-02.md');
    await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    const first = readFileSync(file, 'utf8');
    // working-400 went to cold in the first run; it is now a cold, unused, >365-day row.
    const second = await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    expect(second).toEqual({ promoted: 0, demoted: 1, archived: 1, errors: [] });
    expect(store.getLesson('working-400')).toMatchObject({ tier: 'archival', archived_path: file });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(first)).toBe(true);
    for (const id of ['cold-old', 'cold-old-offset', 'working-400']) expect(text.split(archiveMarker(id)).length - 1).toBe(1);

    const snapshot = store.listLessons({ includeRetired: true });
    const third = await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    expect(third).toEqual({ promoted: 0, demoted: 0, archived: 0, errors: [] });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(store.listLessons({ includeRetired: true })).toEqual(snapshot);
  });

  it('a re-run after a lost tier update (exported, database not saved) does not append the same lesson twice', async () => {
    const unsaved = store.export(); // the database as it was before the run
    await promoteTiers(store, NOW, directoryArchiveSink(archiveDir));
    const text = readFileSync(join(archiveDir, '2025-02.md'), 'utf8');

    const replay = await LessonsStore.open(unsaved, 'replay');
    try {
      const report = await promoteTiers(replay, NOW, directoryArchiveSink(archiveDir));
      expect(report.archived).toBe(2);
      expect(report.errors).toEqual([]);
      expect(readFileSync(join(archiveDir, '2025-02.md'), 'utf8')).toBe(text);
      expect(replay.getLesson('cold-old')).toMatchObject({ tier: 'archival' });
      expect(replay.getLesson('cold-old')!.archived_path).toContain('2025-02.md');
    } finally {
      replay.close();
    }
  });
});

describe('planTierChanges and archiveFileFor', () => {
  it('is pure: plans from rows and a clock', () => {
    const changes = planTierChanges(
      [
        { id: 'a', ts: daysAgo(400), tier: 'cold', access_count: 0 },
        { id: 'b', ts: daysAgo(1), tier: 'working', access_count: 3 },
        { id: 'c', ts: daysAgo(1), tier: 'mystery', access_count: 9 },
      ],
      NOW,
    );
    expect(changes).toEqual([
      { id: 'a', from: 'cold', to: 'archival', archiveFile: archiveFileFor(daysAgo(400), NOW) },
      { id: 'b', from: 'working', to: 'hot', archiveFile: null },
    ]);
  });

  it('names the archive file by the UTC month of ts, or of now when ts does not parse', () => {
    expect(archiveFileFor('2025-12-31T23:59:59Z', NOW)).toBe('2025-12.md');
    expect(archiveFileFor('2026-01-01T01:00:00+02:00', NOW)).toBe('2025-12.md');
    expect(archiveFileFor('0999-07-04', NOW)).toBe('0999-07.md');
    expect(archiveFileFor('garbage', NOW)).toBe('2026-03.md');
  });
});
