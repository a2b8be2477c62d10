/**
 * The state branch (watermark and archive in the repository) over real HTTP against the GitHub double,
 * with the project's Octokit client.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  repoArchiveSink,
  repoStateStores,
  repoWatermarkStore,
  RepoStateBranch,
} from '../src/github/repoState.js';
import { dryRunArchiveSink, dryRunWatermarkStore } from '../src/adapters/dryRun.js';
import { GitHubWriteError } from '../src/github/errors.js';
import type { Logger } from '../src/ports/index.js';
import { startGitHubDouble, type GitHubDouble } from './support/githubDouble.js';
import { installRepoRoutes, openapiProblems, ROUTES, WRITE_ROUTES, type RepoDouble } from './support/doubleRepo.js';
import { clientFor } from './support/octokitForDouble.js';

const REPO = 'acme/app';
const target = { owner: 'acme', repo: 'app' };

let double: GitHubDouble;
let repos: RepoDouble;
let logs: { level: 'info' | 'warning'; message: string }[];
let log: Logger;

beforeEach(async () => {
  double = await startGitHubDouble();
  repos = installRepoRoutes(double);
  repos.addRepo(REPO);
  logs = [];
  log = { info: (m) => void logs.push({ level: 'info', message: m }), warning: (m) => void logs.push({ level: 'warning', message: m }) };
});
afterEach(async () => {
  expect(double.internalErrors).toEqual([]);
  expect(openapiProblems(repos.responses)).toEqual([]);
  await double.close();
});

/** Route keys and statuses of the requests made, in order. */
const trail = (): string[] => double.requests.map((r) => `${r.route} ${r.status}`);
const writes = (): number => double.requests.filter((r) => WRITE_ROUTES.includes(r.route ?? '') || r.method !== 'GET').length;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('watermark on the state branch', () => {
  it('reads none on a repository without the branch, without writing anything', async () => {
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    expect(store.describe).toBe('acme/app@mycelium-state:state.json');
    expect(await store.read()).toBeNull();
    expect(trail()).toEqual([`${ROUTES.getContent} 404`]);
    expect(double.requests[0]!.query).toEqual({ ref: 'mycelium-state' });
    expect(writes()).toBe(0);
  });

  it('creates the branch as an orphan on the first write (no code, no shared history), then commits the file', async () => {
    repos.seedFile(REPO, 'main', 'src/app.ts', 'export {};\n');
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    expect(await store.read()).toBeNull();
    await store.write('{"last_run": "2026-03-15T12:00:00Z"}\n');

    expect(trail()).toEqual([
      `${ROUTES.getContent} 404`,
      `${ROUTES.getRef} 404`,
      `${ROUTES.createTree} 201`,
      `${ROUTES.createCommit} 201`,
      `${ROUTES.createRef} 201`,
      `${ROUTES.putContent} 201`,
    ]);
    expect(repos.branches(REPO).sort()).toEqual(['main', 'mycelium-state']);
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(repos.file(REPO, 'mycelium-state', 'src/app.ts')).toBeUndefined(); // none of main's files
    expect(repos.file(REPO, 'mycelium-state', 'README.md')).toMatch(/^# Mycelium state\n/);
    expect(repos.file(REPO, 'main', 'state.json')).toBeUndefined();
    // Two commits, the first with no parent: no history shared with main.
    expect(repos.history(REPO, 'mycelium-state')).toEqual(['mycelium: update state.json [skip ci]', 'mycelium: start the state branch [skip ci]']);
    expect(logs.some((l) => /created state branch mycelium-state \(orphan commit [0-9a-f]{7}\)/.test(l.message))).toBe(true);

    // A second write on the same store: no branch work, the sha from the last write.
    double.resetLog();
    await store.write('{"last_run": "2026-03-22T12:00:00Z"}\n');
    expect(trail()).toEqual([`${ROUTES.putContent} 200`]);
    expect(await store.read()).toBe('{"last_run": "2026-03-22T12:00:00Z"}\n');
  });

  it('honours the branch and path inputs (names with slashes), and a non-main default branch', async () => {
    repos.addRepo('acme/trunk', { defaultBranch: 'trunk' });
    const store = repoWatermarkStore(clientFor(double).octokit, { owner: 'acme', repo: 'trunk', branch: 'ops/state', path: 'mycelium/state.json', log });
    await store.write('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(repos.branches('acme/trunk').sort()).toEqual(['ops/state', 'trunk']);
    expect(repos.file('acme/trunk', 'ops/state', 'mycelium/state.json')).toBe('{"last_run": "2026-03-15T12:00:00Z"}\n');
    const fresh = repoWatermarkStore(clientFor(double).octokit, { owner: 'acme', repo: 'trunk', branch: 'ops/state', path: 'mycelium/state.json', log });
    expect(await fresh.read()).toBe('{"last_run": "2026-03-15T12:00:00Z"}\n');
  });

  it('uses a branch that a concurrent run created first (422 Reference already exists)', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'other.txt', 'x');
    double.fault(ROUTES.getRef, { kind: 'not-found' }); // our check misses it: the other run is just creating it
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    await store.write('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(trail()).toContain(`${ROUTES.createRef} 422`);
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(repos.file(REPO, 'mycelium-state', 'other.txt')).toBe('x');
  });

  it('a stale sha (409: the file changed since it was read) is re-read and the write retried', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-03-01T00:00:00Z"}\n');
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    expect(await store.read()).toBe('{"last_run": "2026-03-01T00:00:00Z"}\n');
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-03-08T00:00:00Z"}\n'); // another run
    double.resetLog();
    await store.write('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(trail()).toEqual([`${ROUTES.getRef} 200`, `${ROUTES.putContent} 409`, `${ROUTES.getContent} 200`, `${ROUTES.putContent} 200`]);
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(logs.some((l) => /changed while writing \(HTTP 409\)/.test(l.message))).toBe(true);
  });

  it('a file created after the read said none (422: "sha" wasn\'t supplied) is re-read and the write retried', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'README.md', 'state branch\n');
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    expect(await store.read()).toBeNull();
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-03-08T00:00:00Z"}\n');
    double.resetLog();
    await store.write('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(trail()).toEqual([`${ROUTES.getRef} 200`, `${ROUTES.putContent} 422`, `${ROUTES.getContent} 200`, `${ROUTES.putContent} 200`]);
    expect(repos.responses.find((r) => r.status === 422)?.body).toMatchObject({ message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{"last_run": "2026-03-15T12:00:00Z"}\n');
  });

  it('gives up after the bounded number of conflicting writes, with a clear message', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-03-01T00:00:00Z"}\n');
    // A writer that always gets in between our read and our write.
    const put = repos.routes().find((r) => `${r.method} ${r.path}` === ROUTES.putContent)!;
    let n = 0;
    double.route({
      ...put,
      handler: (ctx) => {
        repos.seedFile(REPO, 'mycelium-state', 'state.json', `{"last_run": "2026-03-01T00:00:00Z", "writer": ${++n}}\n`);
        return put.handler(ctx);
      },
    });
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log, maxWriteAttempts: 3 });
    await store.read();
    const err = await failure(store.write('{"last_run": "2026-03-15T12:00:00Z"}\n'));
    expect(err.message).toMatch(/^writing state file acme\/app@mycelium-state:state\.json: still conflicting after 3 attempts \(HTTP 409: state\.json does not match [0-9a-f]{40}\)$/);
    expect(double.count(ROUTES.putContent)).toBe(3);
  });

  it('a 403 on the write fails with one line naming the file and the access needed', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{}');
    double.fault(ROUTES.putContent, { kind: 'forbidden' });
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    const err = await failure(store.write('{"last_run": "2026-03-15T12:00:00Z"}\n'));
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect(err.message).toBe(
      'GitHub denied access (403 Resource not accessible by integration) writing state file acme/app@mycelium-state:state.json: the token needs contents write access',
    );
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{}');
  });

  it('a 403 while creating the branch fails with one line and leaves no branch behind', async () => {
    double.fault(ROUTES.createCommit, { kind: 'forbidden' });
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    const err = await failure(store.write('{"last_run": "2026-03-15T12:00:00Z"}\n'));
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect(err.message).toBe(
      'GitHub denied access (403 Resource not accessible by integration) creating state branch acme/app@mycelium-state: the token needs contents write access',
    );
    expect(repos.branches(REPO)).toEqual(['main']);
    expect(double.count(ROUTES.createRef)).toBe(0);
  });

  it('reads a file over the contents API size limit through the blob API', async () => {
    repos.largeFileBytes = 100;
    const big = `{"last_run": "2026-03-15T12:00:00Z", "pad": "${'x'.repeat(500)}"}\n`;
    repos.seedFile(REPO, 'mycelium-state', 'state.json', big);
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    expect(await store.read()).toBe(big);
    expect(trail()).toEqual([`${ROUTES.getContent} 200`, `${ROUTES.getBlob} 200`]);
    expect(repos.responses[0]!.body).toMatchObject({ encoding: 'none', content: '' });
  });

  it('a directory at the state path is an error, not a first run', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{}');
    const get = repos.routes().find((r) => `${r.method} ${r.path}` === ROUTES.getContent)!;
    double.route({ ...get, handler: () => ({ status: 200, body: [] }) });
    const store = repoWatermarkStore(clientFor(double).octokit, { ...target, log });
    await expect(store.read()).rejects.toThrow('state file acme/app@mycelium-state:state.json is a directory, not a file');
  });
});

describe('archive on the state branch', () => {
  const entry = (id: string) => `\n<!-- mycelium-lesson:${id} -->\n### key-${id}\n\nInsight ${id}\n`;

  it('appends to archive/YYYY-MM.md, creating it with a header, and returns where the lesson lives', async () => {
    const sink = repoArchiveSink(clientFor(double).octokit, { ...target, log });
    expect(sink.describe).toBe('acme/app@mycelium-state:archive');
    expect(await sink.read('2025-03.md')).toBeNull();
    expect(await sink.appendAll(new Map([['2025-03.md', entry('a')]]))).toEqual(new Map([['2025-03.md', 'acme/app@mycelium-state:archive/2025-03.md']]));
    await sink.appendAll(new Map([['2025-03.md', entry('b')]]));
    expect(repos.file(REPO, 'mycelium-state', 'archive/2025-03.md')).toBe(`# Archived lessons, 2025-03\n${entry('a')}${entry('b')}`);
    expect(await sink.read('2025-03.md')).toBe(`# Archived lessons, 2025-03\n${entry('a')}${entry('b')}`);
  });

  it('keeps a concurrent append (re-applies ours to the fresh text) and never adds an entry twice', async () => {
    const sink = repoArchiveSink(clientFor(double).octokit, { ...target, log });
    await sink.appendAll(new Map([['2025-03.md', entry('a')]]));
    repos.seedFile(REPO, 'mycelium-state', 'archive/2025-03.md', `# Archived lessons, 2025-03\n${entry('a')}${entry('other')}`);
    await sink.appendAll(new Map([['2025-03.md', entry('b')]]));
    expect(repos.file(REPO, 'mycelium-state', 'archive/2025-03.md')).toBe(`# Archived lessons, 2025-03\n${entry('a')}${entry('other')}${entry('b')}`);
    double.resetLog();
    await sink.appendAll(new Map([['2025-03.md', entry('b')]]));
    expect(double.count(ROUTES.createCommit)).toBe(0);
  });

  it('100 lessons over 4 months: one commit holding all four files, through the git data API', async () => {
    const sink = repoArchiveSink(clientFor(double).octokit, { ...target, log });
    await sink.appendAll(new Map([['2025-01.md', entry('seed')]])); // the branch and one file exist already
    const months = ['2025-01.md', '2025-02.md', '2025-03.md', '2025-04.md'];
    const additions = new Map(months.map((m, i) => [m, Array.from({ length: 25 }, (_, j) => entry(`l${i * 25 + j}`)).join('')]));
    const before = repos.history(REPO, 'mycelium-state').length;
    double.resetLog();
    await sink.appendAll(additions);
    expect(repos.history(REPO, 'mycelium-state').length).toBe(before + 1);
    expect(double.count(ROUTES.createCommit)).toBe(1);
    expect(double.count(ROUTES.createTree)).toBe(1);
    expect(double.count(ROUTES.updateRef)).toBe(1);
    expect(double.count(ROUTES.putContent)).toBe(0);
    expect(repos.file(REPO, 'mycelium-state', 'archive/2025-01.md')).toBe(`# Archived lessons, 2025-01\n${entry('seed')}${additions.get('2025-01.md')}`);
    for (const m of months.slice(1)) expect(repos.file(REPO, 'mycelium-state', `archive/${m}`)).toBe(`# Archived lessons, ${m.slice(0, 7)}\n${additions.get(m)}`);
    expect(repos.file(REPO, 'mycelium-state', 'README.md')).toContain('Mycelium state'); // base tree kept
  });

  it('a branch that moved between reading and committing: re-read, re-applied, the other commit kept', async () => {
    const sink = repoArchiveSink(clientFor(double).octokit, { ...target, log });
    await sink.appendAll(new Map([['2025-03.md', entry('a')]]));
    repos.beforeNextCommit = () => repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-03-01T00:00:00Z"}\n');
    double.resetLog();
    await sink.appendAll(new Map([['2025-03.md', entry('b')]]));
    expect(repos.file(REPO, 'mycelium-state', 'archive/2025-03.md')).toBe(`# Archived lessons, 2025-03\n${entry('a')}${entry('b')}`);
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{"last_run": "2026-03-01T00:00:00Z"}\n');
    expect(double.count(ROUTES.updateRef)).toBe(2);
  });

  it('a refused commit (403) fails with one GitHubWriteError line and changes nothing', async () => {
    const sink = repoArchiveSink(clientFor(double).octokit, { ...target, log });
    await sink.appendAll(new Map([['2025-03.md', entry('a')]]));
    double.fault(ROUTES.createTree, { kind: 'forbidden' });
    const err = await failure(sink.appendAll(new Map([['2025-03.md', entry('b')]])));
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect(err.message).toBe(
      'GitHub denied access (403 Resource not accessible by integration) committing to state branch acme/app@mycelium-state: the token needs contents write access',
    );
    expect(repos.file(REPO, 'mycelium-state', 'archive/2025-03.md')).toBe(`# Archived lessons, 2025-03\n${entry('a')}`);
  });

  it('rejects paths that leave the archive folder', async () => {
    const sink = repoArchiveSink(clientFor(double).octokit, { ...target, log });
    await expect(sink.appendAll(new Map([['../state.json', 'x']]))).rejects.toThrow("invalid state file path '../state.json'");
    expect(double.requests).toEqual([]);
  });
});

describe('dry-run', () => {
  it('reads the real state and logs writes instead of making them', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-03-01T00:00:00Z"}\n');
    const stores = repoStateStores(clientFor(double).octokit, { ...target, log });
    const watermark = dryRunWatermarkStore(stores.watermark, log);
    const archive = dryRunArchiveSink(stores.archive, log);
    expect(await watermark.read()).toBe('{"last_run": "2026-03-01T00:00:00Z"}\n');
    await watermark.write('{"last_run": "2026-03-15T12:00:00Z"}\n');
    expect(await archive.appendAll(new Map([['2025-03.md', 'entry']]))).toEqual(new Map([['2025-03.md', 'acme/app@mycelium-state:archive/2025-03.md']]));
    expect(double.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(writes()).toBe(0);
    expect(repos.file(REPO, 'mycelium-state', 'state.json')).toBe('{"last_run": "2026-03-01T00:00:00Z"}\n');
    expect(logs.map((l) => l.message)).toEqual([
      'dry-run: would write acme/app@mycelium-state:state.json: {"last_run": "2026-03-15T12:00:00Z"}',
      'dry-run: would append 5 characters to acme/app@mycelium-state:archive/2025-03.md',
    ]);
  });

  it('the wrappers work over any store', async () => {
    const written: string[] = [];
    const inner = { describe: 'x', read: async () => 'text', write: async (t: string) => void written.push(t) };
    const dry = dryRunWatermarkStore(inner, log);
    expect(await dry.read()).toBe('text');
    await dry.write('new');
    expect(written).toEqual([]);
    const sink = dryRunArchiveSink({ describe: 'd', read: async () => null, appendAll: async () => new Map([['f.md', 'never']]) }, log);
    expect(await sink.appendAll(new Map([['f.md', 'abc']]))).toEqual(new Map([['f.md', 'd/f.md']]));
  });
});

describe('RepoStateBranch', () => {
  it('checks the branch once per instance', async () => {
    const branch = new RepoStateBranch(clientFor(double).octokit, { ...target, log });
    await branch.ensureBranch();
    await branch.ensureBranch();
    expect(double.count(ROUTES.createRef)).toBe(1);
    expect(double.count(ROUTES.getRef)).toBe(1); // the state branch (404); the orphan needs nothing of main
    expect(double.count(ROUTES.createCommit)).toBe(1);
  });
});
