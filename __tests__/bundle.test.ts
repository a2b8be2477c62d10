/**
 * The committed bundle is self-contained: dist/ and bin/ copied to a directory with no node_modules run the
 * CLI and the action. (Tests the committed dist/; `npm run bundle` refreshes it.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BASH_CD_LESSONS, daysAgo, makeTempDir, NOW_ISO } from './helpers/fixtures.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

let tmp: ReturnType<typeof makeTempDir>;

/** The environment of a clean process: no INPUT_*, no NODE_OPTIONS/NODE_PATH from the test runner, no GitHub vars. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k) || k === 'NODE_OPTIONS' || k === 'NODE_PATH') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const r = spawnSync(process.execPath, args, { cwd: tmp.dir, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mycelium = (...args: string[]) => run([join(tmp.dir, 'bin', 'mycelium'), ...args]);

beforeAll(() => {
  tmp = makeTempDir('mycelium-bundle-');
  cpSync(join(ROOT, 'dist'), join(tmp.dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(tmp.dir, 'bin'), { recursive: true });
  // bin/mycelium has no extension: its package scope must say ESM, as the repository's package.json does.
  writeFileSync(join(tmp.dir, 'package.json'), '{"type":"module"}\n');
});
afterAll(() => tmp.cleanup());

describe('the bundle, with no node_modules anywhere', () => {
  it('really has no node_modules to fall back on', () => {
    let dir = tmp.dir;
    for (;;) {
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
      if (dir === parse(dir).root) break;
      dir = dirname(dir);
    }
  });

  it('bin/mycelium lessons add, lessons list --json and distill run work', () => {
    const db = join(tmp.dir, 'data', 'lessons.db');
    for (const [i, l] of BASH_CD_LESSONS.entries()) {
      const r = mycelium('lessons', 'add', '--db', db, '--project', 'acme/app', '--type', 'pattern', '--key', l.key,
        '--insight', l.insight, '--confidence', String(l.confidence), '--retro-pr', String(l.pr), '--id', `lsn-${l.pr}`,
        '--now', daysAgo(3 - i));
      expect(r).toEqual({ code: 0, stdout: `lsn-${l.pr}\n`, stderr: '' });
    }
    expect(readFileSync(db).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');

    const list = mycelium('lessons', 'list', '--db', db, '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((l) => l.id)).toEqual(['lsn-103', 'lsn-102', 'lsn-101']);

    const out = join(tmp.dir, 'report.json');
    const r = mycelium('distill', 'run', '--db', db, '--out', out, '--now', NOW_ISO);
    expect(r).toEqual({ code: 0, stdout: `wrote ${out}: 1 candidates from 3 lessons\n`, stderr: '' });
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.candidate_count).toBe(1);
    expect(report.candidates[0].recurrence_pr_count).toBe(3);
    expect(JSON.parse(readFileSync(join(tmp.dir, 'data', 'state.json'), 'utf8'))).toEqual({ last_run: NOW_ISO });

    const digest = mycelium('distill', 'run', '--db', db, '--no-watermark', '--now', NOW_ISO);
    expect(digest.code).toBe(0);
    expect(digest.stdout).toContain('1 skill candidate');
  });

  it('bin/mycelium errors are one line and a non-zero exit', () => {
    const r = mycelium('distill', 'run', '--db', join(tmp.dir, 'none.db'), '--bogus');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mycelium: unknown option --bogus\n');
  });

  it('dist/index.js with no INPUT_ variables exits non-zero with a clear "mode" message', () => {
    const r = run([join(tmp.dir, 'dist', 'index.js')]);
    expect(r.code).not.toBe(0);
    const output = r.stdout + r.stderr;
    expect(output).toMatch(/input 'mode' is required \(one of capture, distill, promote-tiers/);
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('dist/index.js with a wrong mode names the allowed modes', () => {
    const r = run([join(tmp.dir, 'dist', 'index.js')], cleanEnv({ INPUT_MODE: 'publish-everything' }));
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/mode must be one of capture, distill, promote-tiers/);
  });

  it('dist/index.js runs mode distill on a database and sets its outputs', () => {
    const db = join(tmp.dir, 'action', 'lessons.db');
    for (const [i, l] of BASH_CD_LESSONS.entries()) {
      expect(mycelium('lessons', 'add', '--db', db, '--project', 'acme/app', '--type', 'pattern', '--key', l.key,
        '--insight', l.insight, '--confidence', String(l.confidence), '--retro-pr', String(l.pr), '--now', daysAgo(3 - i)).code).toBe(0);
    }
    const outputs = join(tmp.dir, 'action', 'outputs.txt');
    const summary = join(tmp.dir, 'action', 'summary.md');
    writeFileSync(outputs, '');
    writeFileSync(summary, '');
    const r = run(
      [join(tmp.dir, 'dist', 'index.js')],
      cleanEnv({
        INPUT_MODE: 'distill',
        INPUT_SINCE: '2026-01-01', // the action runs on the real clock; the lessons are dated around the fixed one
        'INPUT_GITHUB-TOKEN': 'test-token',
        INPUT_STORAGE: 'file',
        'INPUT_DB-PATH': db,
        'INPUT_DRY-RUN': 'true',
        // Offline: no catch-up, and a bar no cluster reaches, so nothing needs the GitHub API.
        'INPUT_CATCH-UP-DAYS': '0',
        'INPUT_MIN-CLUSTER': '4',
        INPUT_PROJECT: 'acme/app',
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_API_URL: 'http://127.0.0.1:9', // nothing listens: any request would fail the run
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
      }),
    );
    expect(r.stdout + r.stderr).not.toMatch(/::error::/);
    expect(r.code).toBe(0);
    const out = readFileSync(outputs, 'utf8');
    expect(out).toMatch(/candidate-count<<[^\n]+\n0\n/);
    expect(out).toMatch(/digest-action<<[^\n]+\nskipped-empty\n/);
    expect(out).toMatch(/lessons-scanned<<[^\n]+\n3\n/);
    expect(readFileSync(summary, 'utf8')).toContain('Mycelium distill');
    expect(existsSync(join(tmp.dir, 'action', 'state.json'))).toBe(false); // dry run: the watermark stays
  });
});
