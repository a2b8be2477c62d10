/**
 * The lessons database as a workflow artifact, over real HTTP on 127.0.0.1: the GitHub double with
 * the Actions artifacts REST routes and the results service's twirp endpoints, blobs in a real
 * azurite, and uploads made by @actions/artifact itself.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { actionsArtifactUploader, isArtifactNameConflict, type ArtifactUploader } from '../src/github/artifactClient.js';
import {
  CorruptDbArtifactError,
  DB_FILE_NAME,
  downloadDbArtifact,
  findNewestUsableDbArtifact,
  loadDatabase,
  syncDbArtifact,
  type ArtifactLog,
} from '../src/github/artifactStore.js';
import { uploadDbArtifact, validateRetentionDays } from '../src/github/artifactUpload.js';
import { GitHubReadError } from '../src/github/errors.js';
import { readZipEntries, readZipEntry, ZipError } from '../src/github/zip.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { startAzurite, type Azurite } from './support/azurite.js';
import { installActionsDouble, ROUTES, type ActionsDouble, type RunState } from './support/doubleActions.js';
import { startGitHubDouble, type GitHubDouble, type Json } from './support/githubDouble.js';
import { clientFor } from './support/octokitForDouble.js';
import { checkSchema, responseSchema } from './support/openapiCheck.js';
import { makeZip } from './support/zipWriter.js';

const OWNER = 'octo-org';
const REPO = 'lessons-app';
const FULL = `${OWNER}/${REPO}`;
const FORK = 'mallory/lessons-app';

let github: GitHubDouble;
let blobs: Azurite;
let actions: ActionsDouble;
let coreCommands: string[] = [];
let writeSpy: { mockRestore: () => void } | undefined;

beforeAll(async () => {
  github = await startGitHubDouble();
  blobs = await startAzurite();
  actions = installActionsDouble(github, blobs, { retentionDays: 90 });
  github.addRepo(FULL);
  github.addRepo(FORK);
});

afterAll(async () => {
  actions?.restoreEnv();
  await github?.close();
  await blobs?.stop();
});

beforeEach(() => {
  github.resetLog();
  actions.reset();
  coreCommands = [];
  // @actions/core speaks to the runner through stdout (`::command::` lines and plain info lines):
  // keep them for asserts instead of printing them.
  writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    coreCommands.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }));
});

afterEach(() => {
  writeSpy?.mockRestore();
  actions.restoreEnv();
  expect(github.internalErrors).toEqual([]);
});

// ---------------------------------------------------------------------------------------------

function recordingLog(): ArtifactLog & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message) => void lines.push({ level: 'info', message }),
    warning: (message) => void lines.push({ level: 'warning', message }),
    debug: (message) => void lines.push({ level: 'debug', message }),
  };
}

function octokit() {
  return clientFor(github).octokit;
}

let lessonSeq = 0;
async function dbWith(...keys: string[]): Promise<Uint8Array> {
  const store = await LessonsStore.open(null, 'test db');
  store.upsertLessons(
    keys.map((key) => ({
      id: `lesson-${++lessonSeq}`,
      ts: '2026-03-01T10:00:00Z',
      project: FULL,
      type: 'pitfall' as const,
      key,
      insight: `Lesson ${key}: check the artifact before trusting it`,
      confidence: 7,
      source: 'observed' as const,
    })),
  );
  const bytes = store.export();
  store.close();
  return bytes;
}

function keysOf(store: LessonsStore): string[] {
  return store
    .listLessons({ includeRetired: true })
    .map((l) => l.key)
    .sort();
}

/** Uploads `bytes` as `run`'s artifact through @actions/artifact (as that run's job would). */
async function uploadAs(run: RunState, name: string, bytes: Uint8Array, retentionDays?: number) {
  actions.useRun(run);
  try {
    return await uploadDbArtifact(actionsArtifactUploader(), { name, bytes, ...(retentionDays !== undefined ? { retentionDays } : {}) });
  } finally {
    actions.restoreEnv();
  }
}

function twirp(method: string) {
  return actions.twirpCalls.filter((c) => c.method === method);
}

function isoDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

// ---------------------------------------------------------------------------------------------

describe('the Actions artifacts double answers like GitHub', () => {
  it('REST list, get, run, zip (302 to a signed blob URL), delete, and 410 once expired', async () => {
    const run = actions.addRun({ repo: FULL });
    const zip = makeZip([{ name: DB_FILE_NAME, data: await dbWith('double-shape') }]);
    const a = await actions.seedArtifact({ run, name: 'shape-db', zip, createdAt: isoDaysAgo(1) });
    const old = await actions.seedArtifact({ run, name: 'shape-db', createdAt: isoDaysAgo(100), expired: true });
    const get = (path: string) => fetch(`${github.url}${path}`, { headers: { authorization: 'token t' }, redirect: 'manual' });

    const list = await get(`/repos/${FULL}/actions/artifacts?name=shape-db&per_page=1`);
    expect(list.status).toBe(200);
    const listBody = (await list.json()) as Json;
    expect(checkSchema(responseSchema('get', '/repos/{owner}/{repo}/actions/artifacts'), listBody)).toEqual([]);
    expect(listBody.total_count).toBe(2);
    expect(listBody.artifacts.map((x: Json) => x.id)).toEqual([a.id]);
    expect(list.headers.get('link')).toMatch(/\/repositories\/\d+\/actions\/artifacts\?name=shape-db&per_page=1&page=2>; rel="next"/);

    const one = await get(`/repos/${FULL}/actions/artifacts/${old.id}`);
    const oneBody = (await one.json()) as Json;
    expect(checkSchema(responseSchema('get', '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}'), oneBody)).toEqual([]);
    expect(oneBody).toMatchObject({ expired: true, workflow_run: { id: run.id, repository_id: run.repo.id, head_repository_id: run.repo.id } });

    const runRes = await get(`/repos/${FULL}/actions/runs/${run.id}`);
    const runBody = (await runRes.json()) as Json;
    expect(checkSchema(responseSchema('get', '/repos/{owner}/{repo}/actions/runs/{run_id}'), runBody)).toEqual([]);
    expect(runBody).toMatchObject({ id: run.id, head_repository: { id: run.repo.id }, repository: { full_name: FULL } });

    const redirect = await get(`/repos/${FULL}/actions/artifacts/${a.id}/zip`);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(new URL(location).hostname).toBe('127.0.0.1');
    expect(new URL(location).searchParams.get('sig')).toBeTruthy();
    const blob = await fetch(location);
    expect(blob.status).toBe(200);
    expect(Buffer.from(await blob.arrayBuffer()).equals(zip)).toBe(true);
    // The signature is checked: a tampered URL is refused by azurite.
    const tampered = new URL(location);
    tampered.searchParams.set('sp', 'rw');
    expect((await fetch(tampered)).status).toBe(403);

    expect((await get(`/repos/${FULL}/actions/artifacts/${old.id}/zip`)).status).toBe(410);

    const del = await fetch(`${github.url}/repos/${FULL}/actions/artifacts/${a.id}`, { method: 'DELETE', headers: { authorization: 'token t' } });
    expect(del.status).toBe(204);
    expect((await get(`/repos/${FULL}/actions/artifacts/${a.id}`)).status).toBe(404);
    expect((await fetch(location)).status).toBe(404);
  });

  it('the results service refuses a token scoped to another run', async () => {
    const mine = actions.addRun({ repo: FULL });
    const other = actions.addRun({ repo: FULL });
    actions.useRun(other);
    const res = await fetch(`${github.url}/twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${process.env.ACTIONS_RUNTIME_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow_run_backend_id: mine.backendId, workflow_job_run_backend_id: mine.jobBackendId, name: 'x', version: 7 }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('upload through @actions/artifact, load back through the REST zip endpoint', () => {
  it('round-trips a database; retention left to the repository setting when unset', async () => {
    const run = actions.addRun({ repo: FULL });
    const up = await uploadAs(run, 'rt-db', await dbWith('alpha', 'beta'));
    expect(up.replaced).toBeNull();

    expect(twirp('CreateArtifact')).toHaveLength(1);
    expect(twirp('CreateArtifact')[0]!.body).toMatchObject({ name: 'rt-db', workflow_run_backend_id: run.backendId, version: 7 });
    expect(twirp('CreateArtifact')[0]!.body.expires_at).toBeUndefined();
    expect(twirp('FinalizeArtifact')[0]).toMatchObject({ status: 200 });
    expect(coreCommands.some((l) => l.startsWith('::add-mask::'))).toBe(true); // the library masks the SAS signature

    const rec = actions.find(up.id)!;
    expect(rec.size).toBe(up.size);
    expect(rec.digest).toBe(`sha256:${up.digest}`);
    const days = (rec.expiresAt!.getTime() - rec.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(90);

    const log = recordingLog();
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'rt-db', log });
    try {
      expect(loaded.fresh).toBe(false);
      expect(loaded.artifact).toMatchObject({ id: up.id, runId: run.id, digest: `sha256:${up.digest}` });
      expect(keysOf(loaded.store)).toEqual(['alpha', 'beta']);
    } finally {
      loaded.store.close();
    }
    // The zip the library wrote holds exactly our file.
    const zipRes = await fetch(blobs.signedUrl('actions-results', rec.blobName, 'r', 60));
    const zip = Buffer.from(await zipRes.arrayBuffer());
    expect(readZipEntries(zip).map((e) => e.name)).toEqual([DB_FILE_NAME]);
    expect(github.count(ROUTES.download)).toBe(1);
    // The GitHub token went to the API only, never to blob storage (azurite is not the double).
    expect(github.requests.filter((r) => r.route === ROUTES.download).every((r) => r.authorization === 'token test-token')).toBe(true);
  });

  it('passes a configured retention on, capped by the repository setting by the library', async () => {
    const run = actions.addRun({ repo: FULL });
    const before = Date.now();
    const up = await uploadAs(run, 'ret-db', await dbWith('gamma'), 7);
    const asked = Date.parse(String(twirp('CreateArtifact')[0]!.body.expires_at));
    expect(asked).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 60_000);
    expect(asked).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000 + 60_000);
    const rec = actions.find(up.id)!;
    expect(Math.round((rec.expiresAt!.getTime() - rec.createdAt.getTime()) / 86_400_000)).toBe(7);

    const capped = actions.addRun({ repo: FULL });
    actions.useRun(capped, { retentionDays: 5 });
    try {
      await uploadDbArtifact(actionsArtifactUploader(), { name: 'ret-db', bytes: await dbWith('delta'), retentionDays: 30 });
    } finally {
      actions.restoreEnv();
    }
    const second = Date.parse(String(twirp('CreateArtifact')[1]!.body.expires_at));
    expect(Math.round((second - Date.now()) / 86_400_000)).toBe(5);
    expect(coreCommands.some((l) => l.startsWith('::warning::Retention days cannot be greater'))).toBe(true);
  });

  it('rejects a retention that is not a whole number of days, and bytes that are not SQLite, before uploading', async () => {
    expect(() => validateRetentionDays(0)).toThrow(/1 to 400/);
    expect(() => validateRetentionDays(2.5)).toThrow(/whole number/);
    expect(() => validateRetentionDays(90)).not.toThrow();
    const uploader: ArtifactUploader = {
      upload: jest.fn(async () => ({ id: 1, size: 1, digest: undefined })),
      deleteFromThisRun: jest.fn(async () => ({ id: 1 })),
    };
    await expect(uploadDbArtifact(uploader, { name: 'x', bytes: await dbWith('a'), retentionDays: 0 })).rejects.toThrow(/retention/);
    await expect(uploadDbArtifact(uploader, { name: 'x', bytes: Buffer.from('definitely not sqlite') })).rejects.toThrow(/not a SQLite database/);
    expect(uploader.upload).not.toHaveBeenCalled();
  });

  it('fails clearly without the runner variables', async () => {
    actions.restoreEnv();
    const saved = { t: process.env.ACTIONS_RUNTIME_TOKEN, u: process.env.ACTIONS_RESULTS_URL };
    delete process.env.ACTIONS_RUNTIME_TOKEN;
    delete process.env.ACTIONS_RESULTS_URL;
    try {
      await expect(uploadDbArtifact(actionsArtifactUploader(), { name: 'x', bytes: await dbWith('a') })).rejects.toThrow(
        /ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set/,
      );
    } finally {
      if (saved.t !== undefined) process.env.ACTIONS_RUNTIME_TOKEN = saved.t;
      if (saved.u !== undefined) process.env.ACTIONS_RESULTS_URL = saved.u;
    }
  });
});

describe('finding the newest usable artifact', () => {
  it('orders by created_at, newest first, whatever order the listing has', async () => {
    const r1 = actions.addRun({ repo: FULL });
    const r2 = actions.addRun({ repo: FULL });
    const newer = await uploadAs(r1, 'order-db', await dbWith('newer'));
    const older = await uploadAs(r2, 'order-db', await dbWith('older'));
    // r2's artifact has the higher id but the older timestamp.
    actions.find(newer.id)!.createdAt = new Date(Date.now() - 60_000);
    actions.find(older.id)!.createdAt = new Date(Date.now() - 3_600_000);
    actions.listOrder = 'oldest-first';
    const found = await findNewestUsableDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'order-db' });
    expect(found.candidates.map((c) => c.id)).toEqual([newer.id, older.id]);
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'order-db' });
    expect(keysOf(loaded.store)).toEqual(['newer']);
    loaded.store.close();
  });

  it('ignores an expired artifact and loads the next newest', async () => {
    const good = await uploadAs(actions.addRun({ repo: FULL }), 'exp-db', await dbWith('kept'));
    actions.find(good.id)!.createdAt = new Date(Date.now() - 3_600_000);
    const gone = await uploadAs(actions.addRun({ repo: FULL }), 'exp-db', await dbWith('expired'));
    actions.find(gone.id)!.expiresAt = new Date(Date.now() - 1000);

    const log = recordingLog();
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'exp-db', log });
    expect(loaded.artifact!.id).toBe(good.id);
    expect(keysOf(loaded.store)).toEqual(['kept']);
    loaded.store.close();
    expect(loaded.skipped).toEqual([expect.objectContaining({ reason: 'expired', artifact: expect.objectContaining({ id: gone.id }) })]);
    expect(log.lines).toContainEqual({ level: 'info', message: expect.stringMatching(new RegExp(`skipping artifact #${gone.id} .*expired`)) });
    expect(github.requests.filter((r) => r.route === ROUTES.download).map((r) => r.path)).toEqual([`/repos/${FULL}/actions/artifacts/${good.id}/zip`]);
  });

  it('ignores an artifact written by a run from a fork, even when it is the newest', async () => {
    const trusted = await uploadAs(actions.addRun({ repo: FULL }), 'fork-db', await dbWith('trusted'));
    actions.find(trusted.id)!.createdAt = new Date(Date.now() - 3_600_000);
    const forkRun = actions.addRun({ repo: FULL, headRepo: FORK, event: 'pull_request' });
    const poisoned = await uploadAs(forkRun, 'fork-db', await dbWith('poisoned'));

    const log = recordingLog();
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'fork-db', log });
    expect(keysOf(loaded.store)).toEqual(['trusted']);
    loaded.store.close();
    expect(loaded.skipped).toEqual([expect.objectContaining({ reason: 'fork', artifact: expect.objectContaining({ id: poisoned.id, runId: forkRun.id }) })]);
    expect(log.lines.some((l) => l.message.includes(`artifact #${poisoned.id}`) && /fork/.test(l.message))).toBe(true);
    expect(github.count(ROUTES.run)).toBe(0); // the listing's ids were enough
  });

  it('fetches the run when the listing lacks its repository ids, and still refuses the fork', async () => {
    const trustedRun = actions.addRun({ repo: FULL, event: 'push' });
    const forkRun = actions.addRun({ repo: FULL, headRepo: FORK, event: 'pull_request' });
    const zipOf = async (key: string) => makeZip([{ name: DB_FILE_NAME, data: await dbWith(key) }]);
    await actions.seedArtifact({ run: trustedRun, name: 'runcheck-db', zip: await zipOf('via-run'), createdAt: isoDaysAgo(2), omitRunRepoIds: true });
    await actions.seedArtifact({ run: trustedRun, name: 'runcheck-db', zip: await zipOf('via-run-2'), createdAt: isoDaysAgo(3), omitRunRepoIds: true });
    const bad = await actions.seedArtifact({ run: forkRun, name: 'runcheck-db', zip: await zipOf('fork'), createdAt: isoDaysAgo(1), omitRunRepoIds: true });
    const vanished = actions.addRun({ repo: FULL });
    const orphan = await actions.seedArtifact({ run: vanished, name: 'runcheck-db', createdAt: isoDaysAgo(0.5), omitRunRepoIds: true });
    github.route({ method: 'GET', path: `/repos/{owner}/{repo}/actions/runs/${vanished.id}`, handler: () => ({ status: 404, body: { message: 'Not Found' } }) });

    const found = await findNewestUsableDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'runcheck-db' });
    expect(found.candidates).toHaveLength(2);
    expect(found.candidates.every((c) => c.runId === trustedRun.id)).toBe(true);
    expect(found.skipped.map((s) => [s.artifact.id, s.reason])).toEqual([
      [orphan.id, 'run-not-found'],
      [bad.id, 'fork'],
    ]);
    expect(found.skipped[1]!.detail).toMatch(new RegExp(`${FORK}`));
    // One request per distinct run: the two trusted artifacts share theirs.
    const runPaths = github.requests.filter((r) => /\/actions\/runs\/\d+$/.test(r.path)).map((r) => r.path);
    expect(runPaths.sort()).toEqual([forkRun.id, trustedRun.id, vanished.id].map((id) => `/repos/${FULL}/actions/runs/${id}`).sort());
  });

  it('walks every page of the listing (per_page 100, Link headers)', async () => {
    const run = actions.addRun({ repo: FULL });
    const good = await actions.seedArtifact({
      run,
      name: 'paged-db',
      zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('on-page-2') }]),
      createdAt: isoDaysAgo(200),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    for (let i = 0; i < 130; i++) await actions.seedArtifact({ run, name: 'paged-db', createdAt: isoDaysAgo(100 - i / 10), expired: true });
    await actions.seedArtifact({ run, name: 'other-name', createdAt: isoDaysAgo(0) });

    const found = await findNewestUsableDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'paged-db' });
    expect(found.listed).toBe(131);
    expect(found.candidates.map((c) => c.id)).toEqual([good.id]);
    expect(found.skipped).toHaveLength(130);
    const pages = github.requests.filter((r) => r.route === ROUTES.list);
    expect(pages).toHaveLength(2);
    expect(pages.every((p) => p.query.name === 'paged-db' && p.query.per_page === '100')).toBe(true);
  });
});

describe('a corrupt newest artifact fails the run and nothing is uploaded', () => {
  const cases: Array<[string, () => Promise<Uint8Array>, RegExp]> = [
    ['a zip whose database is not SQLite', async () => makeZip([{ name: DB_FILE_NAME, data: 'this is not a database at all, sorry' }]), /is not a SQLite database/],
    ['bytes that are not a zip', async () => Buffer.from('<html>an error page, not a zip</html>'.repeat(5)), /not a zip archive/],
    ['a zip without lessons.db', async () => makeZip([{ name: 'notes.txt', data: 'hello' }]), /holds no lessons\.db \(it holds notes\.txt\)/],
    ['a zip whose entry fails its CRC', async () => makeZip([{ name: DB_FILE_NAME, data: await dbWith('crc'), crcOverride: 12345 }]), /CRC-32/],
    [
      'a SQLite database without a lessons table',
      async () => {
        const store = await LessonsStore.open(null, 'x');
        const bytes = store.export();
        store.close();
        // Rename the table in the raw bytes: still SQLite, no lessons table any more.
        const buf = Buffer.from(bytes);
        let at = buf.indexOf('CREATE TABLE lessons');
        while (at >= 0) {
          buf.write('CREATE TABLE lessonz', at);
          at = buf.indexOf('CREATE TABLE lessons', at + 1);
        }
        let n = buf.indexOf('lessons');
        while (n >= 0) {
          buf.write('lessonz', n);
          n = buf.indexOf('lessons', n + 1);
        }
        return makeZip([{ name: DB_FILE_NAME, data: buf }]);
      },
      /without a lessons table|cannot be read/,
    ],
  ];

  it.each(cases)('%s', async (_label, makeBlob, reason) => {
    const name = `corrupt-${Math.random().toString(36).slice(2, 8)}`;
    const goodRun = actions.addRun({ repo: FULL });
    await actions.seedArtifact({
      run: goodRun,
      name,
      zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('older-but-good') }]),
      createdAt: isoDaysAgo(2),
    });
    const badRun = actions.addRun({ repo: FULL });
    const bad = await actions.seedArtifact({ run: badRun, name, zip: await makeBlob(), createdAt: isoDaysAgo(1) });

    const thisRun = actions.addRun({ repo: FULL });
    actions.useRun(thisRun);
    const work = jest.fn(async () => 'worked');
    let error: unknown;
    try {
      await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name, uploader: actionsArtifactUploader(), download: { retryDelayMs: 1 } }, work);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CorruptDbArtifactError);
    const message = (error as Error).message;
    expect(message).toContain(`artifact #${bad.id}`);
    expect(message).toContain(`run ${badRun.id}`);
    expect(message).toMatch(reason);
    expect(message).toMatch(/Refusing to continue/);
    expect(work).not.toHaveBeenCalled();
    expect(actions.twirpCalls).toEqual([]); // no CreateArtifact: nothing uploaded
    expect(actions.live().filter((a) => a.name === name)).toHaveLength(2);
  });

  it('a zip whose digest disagrees with the artifact is corrupt (after retrying the blob)', async () => {
    const run = actions.addRun({ repo: FULL });
    const zip = makeZip([{ name: DB_FILE_NAME, data: await dbWith('digest') }]);
    const a = await actions.seedArtifact({ run, name: 'digest-db', zip, digest: `sha256:${'0'.repeat(64)}` });
    const log = recordingLog();
    await expect(loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'digest-db', log, download: { retryDelayMs: 1 } })).rejects.toThrow(
      new RegExp(`artifact #${a.id} .*digest`),
    );
    expect(github.count(ROUTES.download)).toBe(3); // a fresh signed URL per attempt
    expect(log.lines.filter((l) => l.level === 'warning')).toHaveLength(2);
  });
});

describe('no usable artifact', () => {
  it('starts fresh with a warning on the first run, and the run uploads it', async () => {
    const run = actions.addRun({ repo: FULL });
    actions.useRun(run);
    const log = recordingLog();
    const res = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'first-db', log, uploader: actionsArtifactUploader() }, async (store, loaded) => {
      expect(loaded.fresh).toBe(true);
      expect(store.count()).toBe(0);
      store.upsertLessons([
        { id: 'first', ts: '2026-03-01T10:00:00Z', project: FULL, type: 'tool', key: 'first-key', insight: 'The first lesson ever captured', confidence: 6, source: 'observed' },
      ]);
      return 'captured';
    });
    expect(res.result).toBe('captured');
    expect(res.loaded).toMatchObject({ fresh: true, artifact: null, skipped: [] });
    expect(log.lines).toContainEqual({ level: 'warning', message: expect.stringMatching(/no usable lessons database artifact "first-db" .*none exists yet.*recaptured/) });
    expect(res.uploaded?.id).toBeGreaterThan(0);
    actions.restoreEnv();

    const again = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'first-db' });
    expect(again.fresh).toBe(false);
    expect(keysOf(again.store)).toEqual(['first-key']);
    again.store.close();
  });

  it('starts fresh when every artifact expired or came from a fork, saying why', async () => {
    const run = actions.addRun({ repo: FULL });
    await actions.seedArtifact({ run, name: 'stale-db', createdAt: isoDaysAgo(95), expired: true });
    await actions.seedArtifact({ run, name: 'stale-db', createdAt: isoDaysAgo(91), expired: true });
    await actions.seedArtifact({ run: actions.addRun({ repo: FULL, headRepo: FORK }), name: 'stale-db', zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('x') }]) });
    const log = recordingLog();
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'stale-db', log });
    expect(loaded.fresh).toBe(true);
    expect(loaded.store.count()).toBe(0);
    loaded.store.close();
    expect(log.lines).toContainEqual({ level: 'warning', message: expect.stringMatching(/3 listed, none usable \(1 fork, 2 expired\)|3 listed, none usable \(2 expired, 1 fork\)/) });
    expect(github.count(ROUTES.download)).toBe(0);
  });

  it('an artifact that vanished between listing and download is skipped for the next newest', async () => {
    const r = actions.addRun({ repo: FULL });
    await actions.seedArtifact({ run: r, name: 'vanish-db', zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('second') }]), createdAt: isoDaysAgo(2) });
    const first = await actions.seedArtifact({ run: r, name: 'vanish-db', zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('first') }]), createdAt: isoDaysAgo(1) });
    github.fault(ROUTES.download, { kind: 'not-found' }, 1);
    const log = recordingLog();
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'vanish-db', log });
    expect(keysOf(loaded.store)).toEqual(['second']);
    loaded.store.close();
    expect(loaded.skipped).toEqual([expect.objectContaining({ reason: 'gone', artifact: expect.objectContaining({ id: first.id }) })]);
    expect(log.lines.some((l) => l.level === 'warning' && l.message.includes(`artifact #${first.id}`))).toBe(true);
  });
});

describe('re-runs', () => {
  it('a second attempt of the same run replaces its earlier artifact and succeeds', async () => {
    const attempt1 = actions.addRun({ repo: FULL });
    const first = await uploadAs(attempt1, 'rerun-db', await dbWith('attempt-1'));
    const attempt2 = actions.rerun(attempt1);
    expect(attempt2.backendId).toBe(attempt1.backendId);

    actions.useRun(attempt2);
    const log = recordingLog();
    const res = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'rerun-db', log, uploader: actionsArtifactUploader() }, async (store, loaded) => {
      expect(loaded.artifact?.id).toBe(first.id);
      store.upsertLessons([
        { id: 'a2', ts: '2026-03-02T10:00:00Z', project: FULL, type: 'tool', key: 'attempt-2', insight: 'Captured by the second attempt', confidence: 6, source: 'observed' },
      ]);
    });
    actions.restoreEnv();
    expect(res.uploaded!.replaced).toBe(first.id);
    expect(res.uploaded!.id).not.toBe(first.id);
    expect(twirp('CreateArtifact').map((c) => c.status)).toEqual([200, 409, 200]);
    expect(twirp('DeleteArtifact')).toHaveLength(1);
    expect(log.lines.some((l) => /already exists in this workflow run/.test(l.message))).toBe(true);

    const live = actions.live().filter((a) => a.name === 'rerun-db');
    expect(live.map((a) => a.id)).toEqual([res.uploaded!.id]);
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'rerun-db' });
    expect(keysOf(loaded.store)).toEqual(['attempt-1', 'attempt-2']);
    loaded.store.close();
  });

  it('a conflict is recognised from the library message, other errors are not retried', async () => {
    expect(
      isArtifactNameConflict(
        new Error('Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run'),
      ),
    ).toBe(true);
    expect(isArtifactNameConflict(new Error('Failed to CreateArtifact: Received non-retryable error: Failed request: (400) Bad Request'))).toBe(false);
    expect(isArtifactNameConflict(new Error('Failed to FinalizeArtifact: (409)'))).toBe(false);
    const uploader: ArtifactUploader = {
      upload: jest.fn(async () => {
        throw new Error('Failed to CreateArtifact: Received non-retryable error: Failed request: (400) Bad Request');
      }),
      deleteFromThisRun: jest.fn(async () => ({ id: 1 })),
    };
    await expect(uploadDbArtifact(uploader, { name: 'x', bytes: await dbWith('a') })).rejects.toThrow(/400/);
    expect(uploader.upload).toHaveBeenCalledTimes(1);
    expect(uploader.deleteFromThisRun).not.toHaveBeenCalled();
  });
});

describe('an unchanged database', () => {
  const readOnly = async (store: LessonsStore) => store.count();

  it('is not uploaded again while its artifact is younger than a week', async () => {
    const a = await actions.seedArtifact({ run: actions.addRun({ repo: FULL }), name: 'same-db', zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('kept') }]), createdAt: isoDaysAgo(1) });
    actions.twirpCalls.length = 0;
    actions.useRun(actions.addRun({ repo: FULL }));
    const log = recordingLog();
    const res = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'same-db', log, uploader: actionsArtifactUploader(), now: Date.now() }, readOnly);
    actions.restoreEnv();
    expect(res).toMatchObject({ result: 1, uploaded: null, notUploaded: 'unchanged' });
    expect(actions.twirpCalls).toEqual([]);
    expect(log.lines).toContainEqual({ level: 'info', message: `the database did not change: artifact #${a.id} (24 h old) stays the newest, nothing uploaded` });
  });

  it('is uploaded again once its artifact is a week old, so it never expires; and always without a clock', async () => {
    await actions.seedArtifact({ run: actions.addRun({ repo: FULL }), name: 'aging-db', zip: makeZip([{ name: DB_FILE_NAME, data: await dbWith('old') }]), createdAt: isoDaysAgo(8) });
    actions.useRun(actions.addRun({ repo: FULL }));
    const aged = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'aging-db', uploader: actionsArtifactUploader(), now: Date.now() }, readOnly);
    expect(aged.notUploaded).toBeNull();
    expect(aged.uploaded?.id).toBeGreaterThan(0);
    actions.useRun(actions.addRun({ repo: FULL }));
    const noClock = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'aging-db', uploader: actionsArtifactUploader() }, readOnly);
    actions.restoreEnv();
    expect(noClock.uploaded?.id).toBeGreaterThan(aged.uploaded!.id);
  });
});

describe('GitHub failures', () => {
  it('survives a burst of 5xx on the listing (plugin-retry)', async () => {
    await uploadAs(actions.addRun({ repo: FULL }), 'burst-db', await dbWith('survivor'));
    github.resetLog();
    github.fault(ROUTES.list, { kind: 'server-error', status: 502 }, 2);
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'burst-db' });
    expect(keysOf(loaded.store)).toEqual(['survivor']);
    loaded.store.close();
    expect(github.requests.filter((r) => r.route === ROUTES.list).map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('nothing is uploaded when the work on the database throws', async () => {
    await uploadAs(actions.addRun({ repo: FULL }), 'workfail-db', await dbWith('before'));
    actions.twirpCalls.length = 0;
    actions.useRun(actions.addRun({ repo: FULL }));
    const err = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'workfail-db', uploader: actionsArtifactUploader() }, async () => {
      throw new Error('capture failed half way');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('capture failed half way');
    expect(actions.twirpCalls).toEqual([]);
  });

  it('a listing that keeps failing fails the load: an outage is never "no artifact"', async () => {
    github.fault(ROUTES.list, { kind: 'server-error', status: 503 }, 10);
    const run = actions.addRun({ repo: FULL });
    actions.useRun(run);
    const work = jest.fn(async () => {});
    const err = await syncDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'outage-db', uploader: actionsArtifactUploader() }, work).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubReadError);
    expect((err as Error).message).toMatch(/server error \(HTTP 503\) reading the artifacts of octo-org\/lessons-app/);
    expect(work).not.toHaveBeenCalled();
    expect(actions.twirpCalls).toEqual([]);
  });

  it('a 5xx on the zip endpoint is retried; a 403 is reported clearly', async () => {
    const a = await uploadAs(actions.addRun({ repo: FULL }), 'zip5xx-db', await dbWith('z'));
    github.resetLog();
    github.fault(ROUTES.download, { kind: 'server-error' }, 1);
    const loaded = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'zip5xx-db' });
    expect(keysOf(loaded.store)).toEqual(['z']);
    loaded.store.close();
    github.fault(ROUTES.download, { kind: 'forbidden' }, 1);
    const found = await findNewestUsableDbArtifact(octokit(), { owner: OWNER, repo: REPO, name: 'zip5xx-db' });
    await expect(downloadDbArtifact(octokit(), { owner: OWNER, repo: REPO, artifact: found.candidates[0]! })).rejects.toThrow(
      new RegExp(`GitHub denied access \\(403 .*\\) reading artifact #${a.id}.*needs actions read access`),
    );
  });

  it('a blob that cannot be fetched is retried with a fresh URL, then reported (not treated as corrupt)', async () => {
    const run = actions.addRun({ repo: FULL });
    const a = await actions.seedArtifact({ run, name: 'noblob-db' }); // listed, but its blob does not exist
    const log = recordingLog();
    const err = await loadDatabase(octokit(), { owner: OWNER, repo: REPO, name: 'noblob-db', log, download: { retryDelayMs: 1, blobAttempts: 2 } }).catch(
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(CorruptDbArtifactError);
    expect((err as Error).message).toMatch(new RegExp(`cannot download artifact #${a.id} .*HTTP 404`));
    expect(github.count(ROUTES.download)).toBe(2);
  });
});

describe('zip reader', () => {
  it('reads stored and deflated entries and checks sizes', () => {
    const zip = makeZip([
      { name: 'a.txt', data: 'stored text', method: 0 },
      { name: 'dir/b.bin', data: Buffer.alloc(5000, 7), method: 8 },
    ]);
    const entries = readZipEntries(zip);
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['a.txt', 0, 11],
      ['dir/b.bin', 8, 5000],
    ]);
    expect(readZipEntry(zip, entries[0]!).toString()).toBe('stored text');
    expect(readZipEntry(zip, entries[1]!).equals(Buffer.alloc(5000, 7))).toBe(true);
    expect(() => readZipEntry(zip, entries[1]!, 4999)).toThrow(/over the limit/);
    expect(() => readZipEntries(zip.subarray(0, zip.length - 30))).toThrow(ZipError);
  });
});
