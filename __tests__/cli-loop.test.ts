/** The CLI's help, version, suggestions and plain errors, and the team's loop offline (decide, conventions write). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { COMMAND_HELP, suggestCommand, VERSION } from '../src/cli/help.js';
import { BLOCK_BEGIN, ruleIdsInFile } from '../src/core/conventions.js';
import { ROOT } from './support/actionProcess.js';
import { BASH_CD_LESSONS, cli, daysAgo, makeTempDir } from './helpers/fixtures.js';

let tmp: ReturnType<typeof makeTempDir>;
let db: string;
beforeEach(() => {
  tmp = makeTempDir();
  db = join(tmp.dir, 'lessons.db');
});
afterEach(() => tmp.cleanup());

async function seed(): Promise<string> {
  const themes = [
    BASH_CD_LESSONS.map((l) => ({ key: l.key, insight: l.insight })),
    [0, 1, 2].map((i) => ({ key: `py-pathlib-${i}`, insight: `Use pathlib.Path instead of os.path.join for file paths in Python code, case ${i}` })),
  ];
  let pr = 100;
  for (const theme of themes) {
    for (const l of theme) {
      const r = await cli(['lessons', 'add', '--db', db, '--project', 'acme/app', '--type', 'pattern', '--key', l.key, '--insight', l.insight,
        '--confidence', '8', '--retro-pr', String(++pr), '--id', `lsn-${pr}`, '--now', daysAgo(2)]);
      expect(r.code).toBe(0);
    }
  }
  const report = join(tmp.dir, 'report.json');
  expect((await cli(['distill', 'run', '--db', db, '--out', report, '--no-watermark'])).code).toBe(0);
  expect(JSON.parse(readFileSync(report, 'utf8')).candidate_count).toBe(2);
  return report;
}

describe('help, version, suggestions, plain errors', () => {
  it('--help for every command and subcommand, on stdout, exit 0', async () => {
    for (const name of Object.keys(COMMAND_HELP)) {
      const r = await cli([...name.split(' '), '--help']);
      expect(r).toEqual({ code: 0, stdout: COMMAND_HELP[name], stderr: '' });
    }
    for (const group of ['distill', 'lessons', 'decide', 'conventions']) {
      const r = await cli([group, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: mycelium ${group} <`));
    }
  });

  it('--version prints the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `mycelium ${VERSION}\n`, stderr: '' });
    expect(VERSION).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('did you mean: a mistyped command gets the closest one', async () => {
    const r = await cli(['distil', 'run', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mycelium: unknown command 'distil run'; did you mean 'distill run'? (try --help)\n");
    expect(suggestCommand('captur', ['capture', 'lessons add'])).toBe('capture');
    expect(suggestCommand('frobnicate', ['capture', 'lessons add'])).toBeNull();
  });

  it('errors in plain words, not zod wording', async () => {
    const r = await cli(['distill', 'run', '--db', db, '--min-cluster', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mycelium: distill run: --min-cluster must be at least 1\n');
    expect(r.stderr).not.toMatch(/Too small|expected number/);
  });
});

describe('the loop offline', () => {
  it('decide accept / reject, then conventions write: the accepted rule in the block, the file kept', async () => {
    const report = await seed();
    const accept = await cli(['decide', 'accept', '1', '--report', report, '--db', db, '--by', 'ana']);
    expect(accept.code).toBe(0);
    expect(accept.stdout).toMatch(/^accepted 1\. .+: .+\.\n$/);
    const reject = await cli(['decide', 'reject', '2', '--report', report, '--db', db, '--reason', 'not ours']);
    expect(reject.code).toBe(0);
    const decisions = JSON.parse(readFileSync(join(tmp.dir, 'decisions.json'), 'utf8'));
    expect(decisions.decisions.map((d: { decision: string }) => d.decision)).toEqual(['accept', 'reject']);

    const out = join(tmp.dir, 'AGENTS.md');
    writeFileSync(out, '# Ours\n\nKeep this.\n');
    const w = await cli(['conventions', 'write', '--db', db, '--out', out]);
    expect(w).toEqual({ code: 0, stdout: `wrote ${out}: 1 rule(s) added, 0 kept\n`, stderr: '' });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('# Ours\n\nKeep this.\n')).toBe(true);
    expect(text).toContain(BLOCK_BEGIN);
    expect(ruleIdsInFile(text)).toHaveLength(1);
    expect(text).toContain('(https://github.com/acme/app/pull/');
    const again = await cli(['conventions', 'write', '--db', db, '--out', out]);
    expect(again.stdout).toBe(`unchanged ${out}: 0 rule(s) added, 1 kept\n`);

    // The rejected candidate is not proposed by the next distill.
    const next = await cli(['distill', 'run', '--db', db, '--no-watermark']);
    expect(next.stdout).toContain('0 skill candidates');
  });

  it('decide retire: the lesson is gone from later reads', async () => {
    await seed();
    const r = await cli(['decide', 'retire', 'lsn-101', '--db', db, '--reason', 'outdated']);
    expect(r).toEqual({ code: 0, stdout: 'retired 1 lesson(s)\n', stderr: '' });
    const list = await cli(['lessons', 'list', '--db', db, '--json']);
    expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((l) => l.id)).not.toContain('lsn-101');
    const unknown = await cli(['decide', 'retire', 'lsn-nope', '--db', db]);
    expect(unknown.stderr).toBe(`mycelium: decide retire: no lesson lsn-nope in ${db}\n`);
    expect(existsSync(join(tmp.dir, 'decisions.json'))).toBe(true);
  });
});
