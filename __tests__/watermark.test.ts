import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fileWatermarkStore } from '../src/adapters/files.js';
import { parseWatermarkState, serializeWatermarkState } from '../src/core/watermark.js';
import { parseTimestamp } from '../src/core/time.js';
import { advanceWatermark, runDistill } from '../src/ops/distillRun.js';
import type { WatermarkStore } from '../src/ports/index.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { BASH_CD_LESSONS, daysAgo, makeTempDir, NOW, NOW_ISO } from './helpers/fixtures.js';

describe('parseWatermarkState', () => {
  it('missing state → first run, silently', () => {
    expect(parseWatermarkState(null, 'state.json')).toEqual({ lastRun: null, warning: null });
  });

  it('a valid state gives its last_run, at microsecond precision', () => {
    expect(parseWatermarkState('{"last_run": "2026-03-15T12:00:00Z"}', 's')).toEqual({ lastRun: NOW, warning: null });
    const s = parseWatermarkState('{"last_run": "2026-03-15T12:00:00.000001+00:00", "other": 1}', 's');
    expect(s.lastRun).toBe(NOW + 1);
    expect(s.warning).toBeNull();
  });

  it.each<[string, string, RegExp]>([
    ['corrupt JSON', '{not valid json', /state\.json is not valid JSON; treating this as a first run/],
    ['empty text', '', /not valid JSON/],
    ['a JSON array', '["2026-03-15T12:00:00Z"]', /not a JSON object/],
    ['a JSON string', '"2026-03-15T12:00:00Z"', /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
    ['a number', '42', /not a JSON object/],
    ['an object without last_run', '{"lastRun": "2026-03-15T12:00:00Z"}', /no string "last_run"/],
    ['last_run that is not a string', '{"last_run": 1773576000}', /no string "last_run"/],
    ['last_run that is not a timestamp', '{"last_run": "last tuesday"}', /last_run 'last tuesday' is not an ISO timestamp/],
  ])('%s → first run with a visible warning', (_name, text, warning) => {
    const s = parseWatermarkState(text, 'state.json');
    expect(s.lastRun).toBeNull();
    expect(s.warning).toMatch(warning);
  });

  it('serializes as {"last_run": ISO} and parses back', () => {
    const text = serializeWatermarkState(NOW + 42);
    expect(JSON.parse(text)).toEqual({ last_run: '2026-03-15T12:00:00.000042Z' });
    expect(parseWatermarkState(text, 's')).toEqual({ lastRun: NOW + 42, warning: null });
  });
});

describe('runDistill with a file watermark', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: LessonsStore;
  let warnings: string[];
  const log = { info: () => {}, warning: (m: string) => warnings.push(m) };

  beforeEach(async () => {
    tmp = makeTempDir();
    warnings = [];
    store = await LessonsStore.open(null, 'test');
    store.upsertLessons(
      BASH_CD_LESSONS.map((l, i) => ({
        id: `l${i}`,
        ts: daysAgo(3 - i),
        project: 'acme/app',
        type: 'pattern' as const,
        key: l.key,
        insight: l.insight,
        confidence: l.confidence,
        source: 'user-stated' as const,
        retro_pr: l.pr,
      })),
    );
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('a missing state file is a first run, silently, and the run saves now as last_run', async () => {
    const path = join(tmp.dir, 'state', 'state.json');
    const report = await runDistill(store, { now: NOW, watermark: fileWatermarkStore(path) }, log);
    expect(report.candidate_count).toBe(1);
    expect(report.watermark).toBeNull();
    expect(warnings).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ last_run: NOW_ISO });
  });

  it('a second run at the same clock finds nothing new', async () => {
    const path = join(tmp.dir, 'state.json');
    await runDistill(store, { now: NOW, watermark: fileWatermarkStore(path) }, log);
    const second = await runDistill(store, { now: NOW, watermark: fileWatermarkStore(path) }, log);
    expect(second.candidate_count).toBe(0);
    expect(second.watermark).toBe(NOW_ISO);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ last_run: NOW_ISO });
  });

  it('a lesson captured after the run is new evidence for the next one', async () => {
    const path = join(tmp.dir, 'state.json');
    await runDistill(store, { now: NOW - 1000, watermark: fileWatermarkStore(path) }, log);
    store.upsertLessons([
      {
        id: 'late',
        ts: '2026-03-15T12:00:00Z', // 1 ms after the first run
        project: 'acme/app',
        type: 'pattern',
        key: 'bash-cd-late',
        insight: BASH_CD_LESSONS[0].insight,
        confidence: 8,
        source: 'observed',
        retro_pr: 104,
      },
    ]);
    const next = await runDistill(store, { now: NOW + 1000, watermark: fileWatermarkStore(path) }, log);
    expect(next.candidate_count).toBe(1);
    expect(next.candidates[0]!.has_new_evidence).toBe(true);
    expect(next.candidates[0]!.recurrence_pr_count).toBe(4);
  });

  it('state file {not valid json → treated as missing with a visible warning; 1 candidate; then repaired', async () => {
    const path = join(tmp.dir, 'state.json');
    writeFileSync(path, '{not valid json');
    const report = await runDistill(store, { now: NOW, watermark: fileWatermarkStore(path) }, log);
    expect(report.candidate_count).toBe(1);
    expect(report.watermark).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/state\.json is not valid JSON/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ last_run: NOW_ISO });
  });

  it('without a watermark: reads nothing, writes nothing, 1 candidate each run', async () => {
    for (let i = 0; i < 2; i++) {
      const report = await runDistill(store, { now: NOW, watermark: null }, log);
      expect(report.candidate_count).toBe(1);
    }
    expect(existsSync(join(tmp.dir, 'state.json'))).toBe(false);
  });

  it('advance: false leaves the state alone (publish first); advanceWatermark saves it afterwards', async () => {
    let written: string | null = null;
    const mem: WatermarkStore = { describe: 'memory', read: async () => null, write: async (t) => void (written = t) };
    const report = await runDistill(store, { now: NOW, watermark: mem, advance: false }, log);
    expect(report.candidate_count).toBe(1);
    expect(written).toBeNull();
    await advanceWatermark(mem, NOW);
    expect(parseTimestamp(JSON.parse(written!).last_run)).toBe(NOW);
  });

  it('a run that fails does not advance the watermark', async () => {
    const path = join(tmp.dir, 'state.json');
    writeFileSync(path, '{"last_run": "2026-03-01T00:00:00Z"}');
    await expect(runDistill(store, { now: NOW, since: 'garbage', watermark: fileWatermarkStore(path) }, log)).rejects.toThrow(/since/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ last_run: '2026-03-01T00:00:00Z' });
  });
});
