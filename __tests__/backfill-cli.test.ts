/** `mycelium backfill` over the GitHub double (in process): captures the window's merged PRs into a database file, and a rerun finds none. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/commands.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { seedBusyRepo } from './support/busyRepo.js';
import { startGitHubDouble, type GitHubDouble } from './support/githubDouble.js';

let double: GitHubDouble;
let dir: string;
beforeAll(async () => {
  double = await startGitHubDouble();
  seedBusyRepo(double, { fullName: 'acme/cli', count: 12 });
  dir = mkdtempSync(join(tmpdir(), 'mycelium-backfill-'));
});
afterAll(async () => {
  await double.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    now: () => Date.parse('2026-11-20T01:00:00Z') * 1000,
    env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: double.url },
  });
  return { code, out, err };
}

describe('mycelium backfill', () => {
  it('captures the merged PRs of the last N days, and a second run captures none', async () => {
    const db = join(dir, 'lessons.db');
    // 12 PRs eight hours apart: the last 2 days hold 6 of them (0, 8, ..., 40 hours back).
    const first = await cli(['backfill', '--repo', 'acme/cli', '--db', db, '--days', '2', '--json']);
    expect(first).toMatchObject({ code: 0, err: '' });
    const result = JSON.parse(first.out);
    expect(result).toMatchObject({ merged: 6, failed: [], stoppedBy: null, remaining: 0 });
    expect([...result.captured].sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const store = await LessonsStore.open(null, 'check');
    store.close();
    const again = await cli(['backfill', '--repo', 'acme/cli', '--db', db, '--days', '2']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^acme\/cli: 6 PRs merged in the window, 0 captured now; spent 1 REST requests, 0 GraphQL points/);
  });

  it('refuses a bad repository and a missing token, in one line', async () => {
    expect(await cli(['backfill', '--repo', 'nope', '--db', join(dir, 'x.db')])).toMatchObject({ code: 2 });
    let err = '';
    const code = await runCli(['backfill', '--repo', 'a/b', '--db', join(dir, 'y.db')], {
      stdout: () => {},
      stderr: (t) => void (err += t),
      now: () => 0,
      env: {},
    });
    expect(code).not.toBe(0);
    expect(err).toMatch(/backfill needs a token in GITHUB_TOKEN/);
  });
});
