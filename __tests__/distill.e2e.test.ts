/**
 * SPEC §8's end-to-end cases: real sql.js store on disk, the CLI's `lessons add` and `distill run`, and the
 * file watermark, in a temp dir, with a fixed clock.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { DigestReport } from '../src/core/distill.js';
import { BASH_CD_LESSONS, cli, daysAgo, makeTempDir, NOW_ISO } from './helpers/fixtures.js';

let tmp: ReturnType<typeof makeTempDir>;
let db: string;
let state: string;

beforeEach(async () => {
  tmp = makeTempDir();
  db = join(tmp.dir, 'lessons.db');
  state = join(tmp.dir, 'state.json'); // the default: next to the database
  for (const [i, l] of BASH_CD_LESSONS.entries()) {
    const r = await cli([
      'lessons', 'add', '--db', db, '--project', 'acme/app', '--type', 'pattern', '--key', l.key,
      '--insight', l.insight, '--confidence', String(l.confidence), '--source', 'user-stated',
      '--skill', 'bash', '--retro-pr', String(l.pr), '--id', `lsn-${l.pr}`, '--now', daysAgo(3 - i),
    ]);
    expect(r).toEqual({ code: 0, stdout: `lsn-${l.pr}\n`, stderr: '' });
  }
});
afterEach(() => tmp.cleanup());

const readReport = (path: string): DigestReport => JSON.parse(readFileSync(path, 'utf8')) as DigestReport;

describe('distill end to end (SPEC §8)', () => {
  it('three bash-cd-* lessons, PRs 101–103, conf 8, 8, 7 → 1 candidate, 3 scanned, report written, recurrence 3', async () => {
    const out = join(tmp.dir, 'report.json');
    const r = await cli(['distill', 'run', '--db', db, '--out', out, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`wrote ${out}: 1 candidates from 3 lessons\n`);
    const report = readReport(out);
    expect(report.version).toBe('1.0');
    expect(report.generated_at).toBe(NOW_ISO);
    expect(report.total_lessons_scanned).toBe(3);
    expect(report.candidate_count).toBe(1);
    expect(report.truncated).toBe(false);
    expect(report.dropped_unparseable_ts).toBe(0);
    const c = report.candidates[0]!;
    expect(c.recurrence_pr_count).toBe(3);
    expect(c.cluster.retro_prs).toEqual([101, 102, 103]);
    expect(c.cluster.avg_confidence).toBe(7.67);
    expect(c.cluster.member_keys).toEqual(['bash-cd-errexit', 'bash-cd-git-c', 'bash-cd-subshell']);
    expect(c.cluster.lesson_ids).toEqual(['lsn-103', 'lsn-102', 'lsn-101']); // newest first
    expect(c.cluster.subject_skills).toEqual(['bash']);
    expect(c.title.startsWith('bash-cd-')).toBe(true);
    expect(c.has_new_evidence).toBe(true);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ last_run: NOW_ISO });
  });

  it('a second run at the same clock → 0 candidates, and state.json last_run = that clock', async () => {
    const out1 = join(tmp.dir, 'r1.json');
    const out2 = join(tmp.dir, 'r2.json');
    expect((await cli(['distill', 'run', '--db', db, '--out', out1, '--now', NOW_ISO])).code).toBe(0);
    const r = await cli(['distill', 'run', '--db', db, '--out', out2, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    const second = readReport(out2);
    expect(second.candidate_count).toBe(0);
    expect(second.candidates).toEqual([]);
    expect(second.total_lessons_scanned).toBe(3);
    expect(second.watermark).toBe(NOW_ISO);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ last_run: NOW_ISO });
  });

  it('two runs with --no-watermark → 1 candidate each, and no state file written', async () => {
    for (const name of ['a.json', 'b.json']) {
      const out = join(tmp.dir, name);
      const r = await cli(['distill', 'run', '--db', db, '--no-watermark', '--out', out, '--now', NOW_ISO]);
      expect(r.code).toBe(0);
      expect(readReport(out).candidate_count).toBe(1);
      expect(readReport(out).watermark).toBeNull();
    }
    expect(existsSync(state)).toBe(false);
    expect(readdirSync(tmp.dir).sort()).toEqual(['a.json', 'b.json', 'lessons.db']);
  });

  it('state file "{not valid json" → treated as missing, with a visible warning, 1 candidate', async () => {
    writeFileSync(state, '{not valid json');
    const out = join(tmp.dir, 'report.json');
    const r = await cli(['distill', 'run', '--db', db, '--out', out, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: watermark ${state} is not valid JSON; treating this as a first run\n`);
    const report = readReport(out);
    expect(report.candidate_count).toBe(1);
    expect(report.watermark).toBeNull();
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ last_run: NOW_ISO });
  });

  it('--watermark FILE uses that file instead of the one next to the database', async () => {
    const custom = join(tmp.dir, 'elsewhere', 'mark.json');
    const out = join(tmp.dir, 'report.json');
    expect((await cli(['distill', 'run', '--db', db, '--watermark', custom, '--out', out, '--now', NOW_ISO])).code).toBe(0);
    expect(JSON.parse(readFileSync(custom, 'utf8'))).toEqual({ last_run: NOW_ISO });
    expect(existsSync(state)).toBe(false);
    const r = await cli(['distill', 'run', '--db', db, `--watermark=${custom}`, '--out', out, '--now', NOW_ISO]);
    expect(r.code).toBe(0);
    expect(readReport(out).candidate_count).toBe(0);
  });

  it('distill is read-only on the database', async () => {
    const before = readFileSync(db);
    await cli(['distill', 'run', '--db', db, '--out', join(tmp.dir, 'r.json'), '--now', NOW_ISO]);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a lesson older than the window is not scanned; --since widens the window', async () => {
    await cli([
      'lessons', 'add', '--db', db, '--project', 'acme/app', '--type', 'pattern', '--key', 'bash-cd-ancient',
      '--insight', BASH_CD_LESSONS[0].insight, '--confidence', '9', '--retro-pr', '42', '--now', daysAgo(200),
    ]);
    const out = join(tmp.dir, 'r.json');
    await cli(['distill', 'run', '--db', db, '--no-watermark', '--out', out, '--now', NOW_ISO]);
    expect(readReport(out).total_lessons_scanned).toBe(3);
    await cli(['distill', 'run', '--db', db, '--no-watermark', '--since', '365d', '--out', out, '--now', NOW_ISO]);
    expect(readReport(out).total_lessons_scanned).toBe(4);
    expect(readReport(out).candidates[0]!.recurrence_pr_count).toBe(4);
    await cli(['distill', 'run', '--db', db, '--no-watermark', '--since', '2025-01-01', '--out', out, '--now', NOW_ISO]);
    expect(readReport(out).total_lessons_scanned).toBe(4);
  });
});
