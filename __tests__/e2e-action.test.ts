/**
 * The bundled action end to end, run the way the runner runs it: `node dist/index.js` as a child process
 * with INPUT_* variables (every input of action.yml, defaults filled in as the runner does), the run's
 * GITHUB_* variables, a real `pull_request.closed` webhook payload (@octokit/webhooks-examples) as the
 * event file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, RUNNER_TEMP, and the results service's
 * ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL.
 *
 * GitHub is the local double (REST routes, GraphQL over the real schema, the Actions artifacts REST routes
 * and the results service's twirp endpoints); artifact blobs live in a real azurite. An artifact one run
 * uploads is listed and downloadable (302 to a signed blob URL) for the next run, as on GitHub. Every
 * scenario asserts on the outputs, the double's state and request log, and the database downloaded back.
 *
 * GITHUB_SERVER_URL is `http://github.localhost:<double port>`: links point at the double's host, and
 * @actions/artifact (which refuses GHES hosts) accepts a `*.localhost` server as github.com.
 *
 * `npm run bundle` builds dist/; these tests run whatever dist/ holds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DB_FILE_NAME } from '../src/github/artifactStore.js';
import { readZipEntries, readZipEntry } from '../src/github/zip.js';
import { archiveMarker } from '../src/core/render.js';
import { bodyHasDigestMarker } from '../src/core/digestIssue.js';
import type { NewLesson } from '../src/core/lesson.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { cleanupActionProcesses, pullRequestClosedEvent, ROOT, runActionProcess, type ActionResult } from './support/actionProcess.js';
import { startAzurite, type Azurite } from './support/azurite.js';
import { installActionsDouble, runtimeTokenFor, TWIRP_ROUTE, type ActionsDouble, type ArtifactRecord, type RunState } from './support/doubleActions.js';
import { installRepoRoutes, openapiProblems, ROUTES as REPO_ROUTES, type RepoDouble } from './support/doubleRepo.js';
import { restUser, startGitHubDouble, type GitHubDouble, type Json, type RecordedRequest } from './support/githubDouble.js';
import { realData, resolvedRoots2965, reviewsForComments } from './support/realData.js';
import { makeZip } from './support/zipWriter.js';

const TOKEN = 'ghs_e2eTokenForTheDouble';
const DB_ARTIFACT = 'mycelium-lessons-db';
const STATE_BRANCH = 'mycelium-state';
const ISSUES_ROUTE = REPO_ROUTES.createIssue;
const PUT_CONTENT = REPO_ROUTES.putContent;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let github: GitHubDouble;
let blobs: Azurite;
let actions: ActionsDouble;
let repos: RepoDouble;
let serverUrl: string;

/** action.yml's inputs with their defaults: the runner sets INPUT_<NAME> for every one of them. */
const ACTION_INPUTS = (parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown }> }).inputs;

beforeAll(async () => {
  github = await startGitHubDouble();
  blobs = await startAzurite();
  actions = installActionsDouble(github, blobs, { retentionDays: 90 });
  repos = installRepoRoutes(github);
  serverUrl = `http://github.localhost:${new URL(github.url).port}`;
}, 60_000);

afterAll(async () => {
  cleanupActionProcesses();
  await github?.close();
  await blobs?.stop();
});

afterEach(() => {
  expect(github.internalErrors).toEqual([]);
  // The repository routes answered as GitHub's OpenAPI description says.
  expect(openapiProblems(repos.responses)).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Running the action
// ---------------------------------------------------------------------------------------------

interface RunOptions {
  /** `with:` of the step. */
  with: Record<string, string>;
  eventName?: string;
  event?: Json;
  /** The workflow run (default: a new run of `full`, event = eventName). */
  run?: RunState;
  onExit?: () => void;
}

interface E2eResult extends ActionResult {
  run: RunState;
  runtimeToken: string;
  /** Requests the double got from the start to the end of this run (alone, unless runs overlap). */
  requests: RecordedRequest[];
  /** This run's results-service calls (its attempt only). */
  twirp: Array<{ method: string; status: number; body: Json }>;
}

function recentIso(msAgo: number): string {
  return new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function inputsFor(withInputs: Record<string, string>): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(ACTION_INPUTS)) {
    // `${{ github.token }}` is what the runner evaluates the github-token default to.
    inputs[name] = name === 'github-token' ? TOKEN : spec.default === undefined ? '' : (typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default));
  }
  return { ...inputs, ...withInputs };
}

async function runAction(full: string, opts: RunOptions): Promise<E2eResult> {
  const eventName = opts.eventName ?? (opts.event ? 'pull_request_target' : 'workflow_dispatch');
  const run = opts.run ?? actions.addRun({ repo: full, event: eventName });
  const from = github.requests.length;
  const twirpFrom = actions.twirpCalls.length;
  const runtimeToken = runtimeTokenFor(run);
  const result = await runActionProcess({
    inputs: inputsFor(opts.with),
    ...(opts.event ? { event: opts.event } : {}),
    ...(opts.onExit ? { onExit: opts.onExit } : {}),
    env: {
      GITHUB_REPOSITORY: full,
      GITHUB_REPOSITORY_OWNER: full.split('/')[0]!,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_API_URL: github.url,
      GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_ATTEMPT: String(run.attempt),
      GITHUB_RUN_NUMBER: String(run.runNumber),
      GITHUB_WORKFLOW: 'Mycelium',
      GITHUB_JOB: 'mycelium',
      GITHUB_ACTION: 'mycelium',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SHA: run.headSha,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RETENTION_DAYS: '90',
      ACTIONS_RUNTIME_TOKEN: runtimeToken,
      ACTIONS_RESULTS_URL: `${github.url}/`,
    },
  });
  const twirp = actions.twirpCalls.slice(twirpFrom).filter((c) => c.body.workflow_run_backend_id === run.backendId);
  return { ...result, run, runtimeToken, requests: github.requests.slice(from), twirp };
}

/** Fails with the run's output when it did not exit as expected (the assertion message shows why). */
function expectExit(r: ActionResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${r.code} (${r.signal ?? 'no signal'})\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

const isWrite = (r: RecordedRequest): boolean => ['PUT', 'PATCH', 'DELETE'].includes(r.method) || (r.method === 'POST' && r.route !== 'POST /graphql');
const ofRoute = (requests: RecordedRequest[], route: string): RecordedRequest[] => requests.filter((r) => r.route === route);

// ---------------------------------------------------------------------------------------------
// Artifacts and databases
// ---------------------------------------------------------------------------------------------

function liveArtifacts(full: string, name = DB_ARTIFACT): ArtifactRecord[] {
  const [owner, repo] = full.split('/');
  const id = github.repo(owner!, repo!)!.id;
  return actions
    .live()
    .filter((a) => a.run.repo.id === id && a.name === name)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
}

/** The results-service calls of a run that concern the database artifact. */
const dbArtifactCalls = (r: E2eResult): E2eResult['twirp'] => r.twirp.filter((c) => c.body.name === DB_ARTIFACT);

function newestArtifact(full: string): ArtifactRecord {
  const a = liveArtifacts(full)[0];
  if (!a) throw new Error(`no ${DB_ARTIFACT} artifact in ${full}`);
  return a;
}

/** The database inside an artifact, read straight from blob storage (not through the double's API). */
async function openArtifactDb(a: ArtifactRecord): Promise<LessonsStore> {
  const res = await fetch(blobs.signedUrl('actions-results', a.blobName, 'r', 60));
  expect(res.status).toBe(200);
  const zip = Buffer.from(await res.arrayBuffer());
  const entry = readZipEntries(zip).find((e) => e.name === DB_FILE_NAME);
  if (!entry) throw new Error(`artifact #${a.id} holds no ${DB_FILE_NAME}`);
  return LessonsStore.open(readZipEntry(zip, entry, 1 << 30), `artifact #${a.id}`);
}

interface DbView {
  lessons: ReturnType<LessonsStore['listLessons']>;
  prs: number[];
}

async function dbView(a: ArtifactRecord, project: string): Promise<DbView> {
  const store = await openArtifactDb(a);
  try {
    return {
      lessons: store.listLessons({ includeRetired: true }),
      prs: [...store.capturedPrNumbers(project)].sort((x, y) => x - y),
    };
  } finally {
    store.close();
  }
}

/** Seeds a finished artifact of a run of `repo` (whose head came from `headRepo`) holding `lessons`. */
async function seedDbArtifact(opts: { repo: string; headRepo?: string; lessons: NewLesson[]; createdAt: string }): Promise<ArtifactRecord> {
  const store = await LessonsStore.open(null, 'seed');
  store.upsertLessons(opts.lessons);
  const bytes = store.export();
  store.close();
  const run = actions.addRun({ repo: opts.repo, ...(opts.headRepo ? { headRepo: opts.headRepo } : {}), event: 'pull_request' });
  return actions.seedArtifact({ run, name: DB_ARTIFACT, zip: makeZip([{ name: DB_FILE_NAME, data: bytes }]), createdAt: opts.createdAt });
}

// ---------------------------------------------------------------------------------------------
// Pull requests in the double
// ---------------------------------------------------------------------------------------------

interface LessonSpec {
  key: string;
  type: string;
  skill: string;
  insight: string;
}

let commentIds = 5_100_000_000;

/** A conversation comment by a trusted MEMBER stating `lesson` in a fenced `lesson` block (docs/lesson-syntax.md). */
function lessonComment(full: string, pr: number, lesson: LessonSpec, at: string, login = 'maintainer-ana'): Json {
  const id = commentIds++;
  const template = structuredClone(realData.issueComments3415()[0]!);
  return {
    ...template,
    id,
    node_id: `IC_${Buffer.from(String(id)).toString('base64url')}`,
    url: `https://api.github.com/repos/${full}/issues/comments/${id}`,
    html_url: `https://github.com/${full}/pull/${pr}#issuecomment-${id}`,
    issue_url: `https://api.github.com/repos/${full}/issues/${pr}`,
    user: restUser(login),
    author_association: 'MEMBER',
    performed_via_github_app: null,
    created_at: at,
    updated_at: at,
    body: ['Thanks, merging.', '', '```lesson', `key: ${lesson.key}`, `type: ${lesson.type}`, `skill: ${lesson.skill}`, lesson.insight, '```'].join('\n'),
  };
}

/** A merged PR (merged `mergedMsAgo` ago) whose discussion states one lesson, or any comments given. */
function addLessonPr(full: string, n: number, lesson: LessonSpec | null, mergedMsAgo = HOUR, extra: { merged?: boolean } = {}): Json {
  const at = recentIso(mergedMsAgo);
  const merged = extra.merged ?? true;
  const state = github.addPull(full, {
    number: n,
    title: `Change ${n}`,
    merged,
    issue_comments: lesson ? [lessonComment(full, n, lesson, recentIso(mergedMsAgo + 60_000))] : [],
    pullOverrides: { merged_at: merged ? at : null, closed_at: at, updated_at: at },
  });
  return state.pull;
}

function repoObject(full: string): Json {
  const [owner, name] = full.split('/');
  return github.repo(owner!, name!)!.repo;
}

function pullOf(full: string, n: number): Json {
  const [owner, name] = full.split('/');
  return github.repo(owner!, name!)!.pulls.get(n)!.pull;
}

const GIT_C: LessonSpec[] = [
  { key: 'bash-git-dash-c', type: 'pattern', skill: 'bash', insight: 'Use git -C <dir> instead of cd <dir> && git in shell scripts.' },
  { key: 'bash-git-dash-c', type: 'pattern', skill: 'bash', insight: 'Use git -C <dir> rather than cd <dir> && git in our shell scripts.' },
  { key: 'bash-git-dash-c', type: 'pattern', skill: 'bash', insight: 'In shell scripts use git -C <dir> instead of cd <dir> then git.' },
];

function seedRepo(full: string): void {
  repos.addRepo(full);
}

// =============================================================================================
// a. merge → capture
// =============================================================================================

describe('a. a merged PR is captured, and a re-run stores nothing new', () => {
  const FULL = 'jleechanorg/worldarchitect.ai';
  let first: E2eResult;

  beforeAll(() => {
    seedRepo(FULL);
    const rc = realData.reviewComments2965();
    const at = recentIso(2 * HOUR);
    github.addPull(FULL, {
      number: 2965,
      review_comments: rc,
      reviews: reviewsForComments(rc, FULL, 2965),
      resolved: { rootIds: resolvedRoots2965(), by: 'jleechan2015' },
      labels: ['enhancement'],
      pullOverrides: { merged_at: at, closed_at: at, updated_at: at },
    });
  });

  it('captures the real review of jleechanorg/worldarchitect.ai#2965 into a new database artifact', async () => {
    const event = pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 2965), merged: true });
    expect(event).toMatchObject({ action: 'closed', number: 2965, pull_request: { merged: true, base: { repo: { full_name: FULL } } } });
    first = await runAction(FULL, { with: { mode: 'capture' }, event });
    expectExit(first, 0);
    expect(first.errors).toEqual([]);

    const captured = Number(first.outputs['lessons-captured']);
    const fresh = Number(first.outputs['lessons-new']);
    expect(captured).toBeGreaterThanOrEqual(1);
    expect(fresh).toBe(captured);
    expect(first.outputs['prs-captured']).toBe('1');
    // No artifact existed: a warning, then catch-up over 90 days (it finds only #2965, already captured).
    expect(first.warnings.some((w) => /no usable lessons database artifact/.test(w))).toBe(true);

    // The PR came from the event: no REST/GraphQL read of the PR object itself, its discussion over GraphQL and REST.
    expect(ofRoute(first.requests, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments').length).toBeGreaterThanOrEqual(1);
    expect(first.requests.some((r) => r.graphql?.operationName === 'MyceliumPrReview' || /MyceliumPrReview/.test(r.graphql?.query ?? ''))).toBe(true);
    // The GitHub token goes to the API; the results service gets the runtime token, never the GitHub token.
    for (const r of first.requests) {
      if (r.route === TWIRP_ROUTE) expect(r.authorization).toBe(`Bearer ${first.runtimeToken}`);
      else expect(r.authorization).toBe(`token ${TOKEN}`);
    }
    // The token is registered as a secret (the runner then masks it) and printed nowhere else.
    expect(first.stdout.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);

    expect(first.twirp.map((c) => `${c.method} ${c.status}`)).toEqual(['CreateArtifact 200', 'FinalizeArtifact 200']);
    const artifact = newestArtifact(FULL);
    expect(artifact.run.id).toBe(first.run.id);
    const db = await dbView(artifact, FULL);
    expect(db.prs).toEqual([2965]);
    expect(db.lessons).toHaveLength(captured);
    expect(db.lessons.every((l) => l.retro_pr === 2965 && l.project === FULL)).toBe(true);
    const crossModel = db.lessons.filter((l) => l.source === 'cross-model');
    expect(crossModel.length).toBeGreaterThanOrEqual(1);
    expect(crossModel.every((l) => l.confidence === 8 && l.skill === 'python')).toBe(true);

    expect(first.summary).toContain('Mycelium capture');
    expect(first.summary).toContain(`### [${FULL}\\#\u200d2965](`); // a link to the PR
    expect(first.summary).toContain(`**${captured} lessons** (${captured} new)`);
    expect(first.summary).toMatch(/^\| key \| source \| confidence \| rule \|$/m); // markdown, not a log block
    expect(first.summary).not.toContain('```');
  });

  it('a re-run of the same event (same run, next attempt) succeeds and stores nothing new', async () => {
    expect(first).toBeDefined();
    const before = await dbView(newestArtifact(FULL), FULL);
    const rerun = actions.rerun(first.run);
    const event = pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 2965), merged: true });
    const second = await runAction(FULL, { with: { mode: 'capture' }, event, run: rerun });
    expectExit(second, 0);
    expect(second.errors).toEqual([]);
    expect(second.outputs['lessons-new']).toBe('0');
    expect(second.outputs['lessons-captured']).toBe(first.outputs['lessons-captured']);
    // It loaded the first attempt's artifact (not a fresh database: no catch-up warning).
    expect(second.warnings).toEqual([]);
    // Nothing changed, so nothing is uploaded: the first attempt's artifact stays the newest.
    expect(second.twirp).toEqual([]);
    expect(second.stdout).toMatch(/the database did not change: artifact #\d+ \(0 h old\) stays the newest, nothing uploaded/);
    expect(second.summary).toContain('Nothing uploaded: the database did not change');
    const live = liveArtifacts(FULL);
    expect(live).toHaveLength(1);
    expect(live[0]!.run.id).toBe(first.run.id);
    const after = await dbView(live[0]!, FULL);
    const rows = (v: DbView) => v.lessons.map((l) => ({ id: l.id, ts: l.ts, key: l.key, confidence: l.confidence })).sort((x, y) => x.id.localeCompare(y.id));
    expect(rows(after)).toEqual(rows(before));
    expect(after.prs).toEqual([2965]);
  });

  it('a re-run that does store something (catch-up found a new merge) replaces its own earlier upload', async () => {
    addLessonPr(FULL, 2970, GIT_C[0]!, HOUR);
    const event = pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 2965), merged: true });
    const third = await runAction(FULL, { with: { mode: 'capture' }, event, run: actions.rerun(first.run) });
    expectExit(third, 0);
    // Names are unique per run, attempts included: 409, delete this run's artifact, upload again.
    expect(third.twirp.map((c) => `${c.method} ${c.status}`)).toEqual([
      'CreateArtifact 409',
      'ListArtifacts 200',
      'DeleteArtifact 200',
      'CreateArtifact 200',
      'FinalizeArtifact 200',
    ]);
    const live = liveArtifacts(FULL);
    expect(live).toHaveLength(1);
    expect(live[0]!.run.id).toBe(first.run.id);
    expect((await dbView(live[0]!, FULL)).prs).toEqual([2965, 2970]);
  });
});

// =============================================================================================
// b. closed without merge
// =============================================================================================

describe('b. a PR closed without merging', () => {
  const FULL = 'acme/closed-unmerged';

  it('is a logged no-op: exit 0, no API call, no artifact upload', async () => {
    seedRepo(FULL);
    addLessonPr(FULL, 81, GIT_C[0]!, HOUR, { merged: false });
    const event = pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 81), merged: false });
    expect(event.pull_request).toMatchObject({ number: 81, merged: false, merged_at: null, state: 'closed' });
    const r = await runAction(FULL, { with: { mode: 'capture' }, event });
    expectExit(r, 0);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.stdout).toContain('PR #81 was closed without merging: nothing to capture');
    expect(r.outputs).toMatchObject({ 'lessons-captured': '0', 'lessons-new': '0' });
    expect(r.requests).toEqual([]);
    expect(r.twirp).toEqual([]);
    expect(liveArtifacts(FULL)).toEqual([]);
    expect(r.summary).toContain('closed without merging');
  });
});

// =============================================================================================
// c. the weekly distill cycle
// =============================================================================================

describe('c. weekly cycle: captures, then distill posts one digest and moves the watermark', () => {
  const FULL = 'acme/weekly';
  const readReport = (r: ActionResult): Json => JSON.parse(readFileSync(r.outputs['report-path']!, 'utf8')) as Json;
  const state = (): Json | undefined => {
    const text = repos.file(FULL, STATE_BRANCH, 'state.json');
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  };
  let firstDistill: E2eResult;

  beforeAll(() => seedRepo(FULL));

  it('captures #11 (dispatch) and #12 (merge event); #13 merges but its capture never runs', async () => {
    addLessonPr(FULL, 11, GIT_C[0]!, 3 * HOUR);
    const c11 = await runAction(FULL, { with: { mode: 'capture', 'pr-number': '11' }, eventName: 'workflow_dispatch', event: { inputs: { 'pr-number': '11' } } });
    expectExit(c11, 0);
    expect(c11.outputs).toMatchObject({ 'lessons-captured': '1', 'lessons-new': '1', 'prs-captured': '1' });

    addLessonPr(FULL, 12, GIT_C[1]!, 2 * HOUR);
    const c12 = await runAction(FULL, { with: { mode: 'capture' }, event: pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 12), merged: true }) });
    expectExit(c12, 0);
    expect(c12.warnings).toEqual([]); // loaded #11's artifact
    expect(c12.stdout).toContain(`loaded the lessons database from artifact #${liveArtifacts(FULL)[1]!.id}`);
    expect(c12.outputs).toMatchObject({ 'lessons-captured': '1', 'lessons-new': '1', 'prs-captured': '1' });
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(db.prs).toEqual([11, 12]);
    // The second lesson recurs (same key from another PR): +1.
    expect(db.lessons.map((l) => [l.retro_pr, l.key, l.type, l.source, l.confidence])).toEqual(
      expect.arrayContaining([
        [11, 'bash-git-dash-c', 'pattern', 'user-stated', 8],
        [12, 'bash-git-dash-c', 'pattern', 'user-stated', 9],
      ]),
    );

    addLessonPr(FULL, 13, GIT_C[2]!, HOUR);
  });

  it('distill catches #13 up, posts the digest issue (label, hidden marker) and then writes the watermark', async () => {
    firstDistill = await runAction(FULL, { with: { mode: 'distill' }, eventName: 'schedule', event: { schedule: '23 6 * * 1' } });
    const r = firstDistill;
    expectExit(r, 0);
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ 'candidate-count': '1', 'lessons-scanned': '3', 'digest-action': 'created' });

    const issues = repos.issues(FULL);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(r.outputs['issue-number']).toBe(String(issue.number));
    expect(r.outputs['issue-url']).toBe(issue.html_url);
    expect(issue.labels.map((l: Json) => l.name)).toEqual(['mycelium']);
    const marker = /^<!-- mycelium-digest:(dg-[0-9a-f]{16}) -->\n/.exec(issue.body);
    expect(marker).not.toBeNull();
    expect(bodyHasDigestMarker(issue.body, marker![1]!)).toBe(true);
    for (const n of [11, 12, 13]) expect(issue.body).toContain(`/${FULL}/pull/${n}`);
    expect(ofRoute(r.requests, ISSUES_ROUTE)).toHaveLength(1);

    const report = readReport(r);
    expect(report).toMatchObject({ version: '1.0', project: FULL, candidate_count: 1, watermark: null });
    expect(report.candidates[0].recurrence_pr_count).toBe(3);
    expect(state()).toEqual({ last_run: report.generated_at });
    // Publish first, watermark after: the issue POST precedes the state write.
    const order = r.requests.map((q) => q.route);
    expect(order.indexOf(ISSUES_ROUTE)).toBeLessThan(order.indexOf(PUT_CONTENT));
    expect(repos.history(FULL, STATE_BRANCH)[0]).toBe('mycelium: update state.json [skip ci]');

    const db = await dbView(newestArtifact(FULL), FULL);
    expect(newestArtifact(FULL).run.id).toBe(r.run.id);
    expect(db.prs).toEqual([11, 12, 13]);
    expect(r.summary).toContain('Digest: created');

    // The report is also kept as an artifact of the run (what the issue links when the JSON does not fit).
    const [reportArtifact, ...more] = liveArtifacts(FULL, 'mycelium-digest-report');
    expect(more).toEqual([]);
    expect(reportArtifact!.run.id).toBe(r.run.id);
    const res = await fetch(blobs.signedUrl('actions-results', reportArtifact!.blobName, 'r', 60));
    const zip = Buffer.from(await res.arrayBuffer());
    const entry = readZipEntries(zip).find((e) => e.name === 'mycelium-digest.json');
    expect(JSON.parse(readZipEntry(zip, entry!, 1 << 20).toString('utf8'))).toEqual(report);
    expect(r.summary).toContain(`DigestReport JSON kept as [a run artifact](http`);
    expect(r.summary).toContain(`/actions/runs/${r.run.id}/artifacts/${reportArtifact!.id}`);
  });

  it('a second run finds nothing new: no issue, the watermark moves to that run', async () => {
    expect(firstDistill).toBeDefined();
    const first = readReport(firstDistill);
    const r = await runAction(FULL, { with: { mode: 'distill' }, eventName: 'schedule', event: { schedule: '23 6 * * 1' } });
    expectExit(r, 0);
    expect(r.outputs).toMatchObject({ 'candidate-count': '0', 'lessons-scanned': '3', 'digest-action': 'skipped-empty' });
    expect(r.outputs['issue-number']).toBeUndefined();
    expect(repos.issues(FULL)).toHaveLength(1);
    expect(ofRoute(r.requests, ISSUES_ROUTE)).toEqual([]);
    const report = readReport(r);
    expect(report.watermark).toBe(first.generated_at);
    expect(Date.parse(report.generated_at)).toBeGreaterThan(Date.parse(first.generated_at));
    expect(state()).toEqual({ last_run: report.generated_at });
  });
});

// =============================================================================================
// d. faults
// =============================================================================================

describe('d. faults', () => {
  it('issue creation refused (403): one ::error:: line, the watermark stays, nothing uploaded; the re-run posts once', async () => {
    const FULL = 'acme/fault-issue';
    seedRepo(FULL);
    const old = `{"last_run": "${recentIso(30 * DAY)}"}\n`;
    repos.seedFile(FULL, STATE_BRANCH, 'state.json', old);
    GIT_C.forEach((l, i) => addLessonPr(FULL, 21 + i, l, (3 - i) * HOUR));
    github.fault(ISSUES_ROUTE, { kind: 'forbidden' });
    const failed = await runAction(FULL, { with: { mode: 'distill' } });
    expectExit(failed, 1);
    expect(failed.errors).toEqual([
      `GitHub denied access (403 Resource not accessible by integration) creating the digest issue in ${FULL}: the token needs issues write access`,
    ]);
    expect(failed.outputs['digest-action']).toBeUndefined();
    expect(repos.file(FULL, STATE_BRANCH, 'state.json')).toBe(old);
    expect(ofRoute(failed.requests, PUT_CONTENT)).toEqual([]);
    // The database holding the caught-up PRs is uploaded before the post (nothing to recapture next time).
    expect(dbArtifactCalls(failed).filter((c) => c.method === 'FinalizeArtifact' && c.status === 200)).toHaveLength(1);
    expect(repos.issues(FULL)).toEqual([]);
    expect(failed.summary).toContain('Failed: GitHub denied access');

    const retry = await runAction(FULL, { with: { mode: 'distill' }, run: actions.rerun(failed.run) });
    expectExit(retry, 0);
    expect(retry.outputs).toMatchObject({ 'digest-action': 'created', 'candidate-count': '1' });
    expect(repos.issues(FULL)).toHaveLength(1);
    const report = JSON.parse(readFileSync(retry.outputs['report-path']!, 'utf8')) as Json;
    expect(JSON.parse(repos.file(FULL, STATE_BRANCH, 'state.json')!)).toEqual({ last_run: report.generated_at });
  });

  it('issue creation failing with a 5xx burst beyond its retries: the run fails clearly and the watermark stays', async () => {
    const FULL = 'acme/fault-issue-5xx';
    seedRepo(FULL);
    GIT_C.forEach((l, i) => addLessonPr(FULL, 21 + i, l, (3 - i) * HOUR));
    github.fault(ISSUES_ROUTE, { kind: 'server-error', status: 502 }, 3);
    const r = await runAction(FULL, { with: { mode: 'distill' } });
    expectExit(r, 1);
    expect(r.errors).toEqual([`GitHub server error (HTTP 502) creating the digest issue in ${FULL}, still failing after retries`]);
    // Each failed POST was followed by a look for the issue (a 5xx may hide a created issue), then a new POST.
    expect(ofRoute(r.requests, ISSUES_ROUTE).map((q) => q.status)).toEqual([502, 502, 502]);
    const issueCalls = r.requests.filter((q) => q.route === ISSUES_ROUTE || q.route === REPO_ROUTES.listIssues).map((q) => `${q.method} ${q.status}`);
    // One lookup before the database is saved (counting uses only for a digest not yet posted), then the publisher's.
    expect(issueCalls).toEqual(['GET 200', 'GET 200', 'POST 502', 'GET 200', 'POST 502', 'GET 200', 'POST 502']);
    expect(repos.issues(FULL)).toEqual([]);
    expect(repos.file(FULL, STATE_BRANCH, 'state.json')).toBeUndefined();
    expect(repos.branches(FULL)).not.toContain(STATE_BRANCH);
    // The database (with the caught-up PRs) was uploaded before the post: the next run has nothing to recapture.
    expect(dbArtifactCalls(r).filter((c) => c.method === 'FinalizeArtifact' && c.status === 200)).toHaveLength(1);
  });

  it('a 409 on the state write (someone wrote state.json in between) is re-read and retried', async () => {
    const FULL = 'acme/fault-409';
    seedRepo(FULL);
    repos.seedFile(FULL, STATE_BRANCH, 'state.json', `{"last_run": "${recentIso(7 * DAY)}"}\n`);
    // The first PUT of this repository's state.json lands right after another writer's commit.
    const putDef = repos.routes().find((d) => `${d.method} ${d.path}` === PUT_CONTENT)!;
    let raced = false;
    github.route({
      ...putDef,
      handler: (ctx) => {
        if (!raced && ctx.params.owner === 'acme' && ctx.params.repo === 'fault-409') {
          raced = true;
          repos.seedFile(FULL, STATE_BRANCH, 'state.json', `{"last_run": "${recentIso(6 * DAY)}"}\n`);
        }
        return putDef.handler(ctx);
      },
    });
    const r = await runAction(FULL, { with: { mode: 'distill' } });
    expectExit(r, 0);
    expect(r.errors).toEqual([]);
    expect(r.outputs['digest-action']).toBe('skipped-empty');
    expect(ofRoute(r.requests, PUT_CONTENT).map((q) => q.status)).toEqual([409, 200]);
    expect(ofRoute(r.requests, REPO_ROUTES.getContent).length).toBeGreaterThanOrEqual(2); // re-read after the conflict
    const report = JSON.parse(readFileSync(r.outputs['report-path']!, 'utf8')) as Json;
    expect(JSON.parse(repos.file(FULL, STATE_BRANCH, 'state.json')!)).toEqual({ last_run: report.generated_at });
    expect(repos.history(FULL, STATE_BRANCH).slice(0, 2)).toEqual(['mycelium: update state.json [skip ci]', 'seed state.json']);
  });

  it('a 5xx burst on a REST read is survived', async () => {
    const FULL = 'acme/fault-read';
    seedRepo(FULL);
    addLessonPr(FULL, 41, GIT_C[0]!);
    const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
    github.fault(route, { kind: 'server-error', status: 502 }, 2);
    const r = await runAction(FULL, { with: { mode: 'capture', 'pr-number': '41' } });
    expectExit(r, 0);
    expect(r.errors).toEqual([]);
    expect(ofRoute(r.requests, route).map((q) => q.status)).toEqual([502, 502, 200]);
    expect(r.outputs).toMatchObject({ 'lessons-captured': '1', 'lessons-new': '1' });
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(db.lessons.map((l) => [l.retro_pr, l.key])).toEqual([[41, 'bash-git-dash-c']]);
  });

  it('an artifact written by a run from a fork is never loaded, even when it is the newest', async () => {
    const FULL = 'acme/fault-fork';
    const FORK = 'mallory/fault-fork';
    seedRepo(FULL);
    github.addRepo(FORK);
    const lesson = (id: string, key: string, insight: string): NewLesson => ({
      id,
      ts: recentIso(2 * DAY),
      project: FULL,
      type: 'pattern',
      key,
      insight,
      confidence: 9,
      source: 'user-stated',
      retro_pr: 1,
    });
    const trusted = await seedDbArtifact({ repo: FULL, lessons: [lesson('lsn-trusted', 'ci-pin-actions', 'Pin third-party actions to a full commit SHA.')], createdAt: recentIso(2 * HOUR) });
    const fork = await seedDbArtifact({
      repo: FULL,
      headRepo: FORK,
      lessons: [lesson('lsn-bogus', 'ci-bogus-fork', 'Name every helper module after the mallory fork.')],
      createdAt: recentIso(60_000),
    });
    expect(actions.restArtifact(fork).workflow_run.head_repository_id).not.toBe(actions.restArtifact(fork).workflow_run.repository_id);
    addLessonPr(FULL, 51, GIT_C[0]!);

    const r = await runAction(FULL, { with: { mode: 'capture', 'pr-number': '51' } });
    expectExit(r, 0);
    expect(r.stdout).toMatch(new RegExp(`skipping artifact #${fork.id} .*from a fork`));
    expect(r.stdout).toContain(`loaded the lessons database from artifact #${trusted.id}`);
    expect(r.warnings).toEqual([]);
    // The fork's zip was never even asked for.
    expect(r.requests.filter((q) => q.path.endsWith(`/actions/artifacts/${fork.id}/zip`))).toEqual([]);
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(newestArtifact(FULL).run.id).toBe(r.run.id);
    expect(db.lessons.map((l) => l.id)).toContain('lsn-trusted');
    expect(db.lessons.map((l) => l.key)).not.toContain('ci-bogus-fork');
    expect(db.lessons.some((l) => /mallory/.test(l.insight))).toBe(false);
    expect(db.prs).toEqual([51]);
  });

  it('no artifact at all: a warning, then the PRs merged in the last 90 days are recaptured', async () => {
    const FULL = 'acme/fault-fresh';
    seedRepo(FULL);
    addLessonPr(FULL, 61, GIT_C[0]!, 3 * DAY);
    addLessonPr(FULL, 62, GIT_C[1]!, 2 * DAY);
    addLessonPr(FULL, 63, GIT_C[2]!, 200 * DAY); // before the window
    addLessonPr(FULL, 64, GIT_C[2]!, DAY, { merged: false });
    addLessonPr(FULL, 65, GIT_C[2]!, HOUR);
    const r = await runAction(FULL, { with: { mode: 'capture' }, event: pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 65), merged: true }) });
    expectExit(r, 0);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^no usable lessons database artifact "mycelium-lessons-db" in acme\/fault-fresh \(none exists yet\): starting with an empty database/),
      'starting from an empty database: recapturing PRs merged in the last 90 days',
    ]);
    expect(r.outputs).toMatchObject({ 'prs-captured': '3', 'lessons-new': '3' });
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(db.prs).toEqual([61, 62, 65]);
    expect(db.lessons.map((l) => l.retro_pr).sort()).toEqual([61, 62, 65]);
  });

  it('weekly: the one database upload is refused: nothing posted, the watermark stays; the next run loses nothing and posts once', async () => {
    const FULL = 'acme/fault-upload';
    seedRepo(FULL);
    GIT_C.forEach((l, i) => addLessonPr(FULL, 71 + i, l, (3 - i) * HOUR));
    actions.refuseCreates = 1;
    const failed = await runAction(FULL, { with: { mode: 'weekly' }, eventName: 'schedule', event: { schedule: '23 6 * * 1' } });
    expectExit(failed, 1);
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatch(/CreateArtifact|artifact/i);
    expect(liveArtifacts(FULL)).toEqual([]);
    expect(repos.issues(FULL)).toEqual([]);
    expect(repos.file(FULL, STATE_BRANCH, 'state.json')).toBeUndefined();
    expect(ofRoute(failed.requests, ISSUES_ROUTE)).toEqual([]);

    const next = await runAction(FULL, { with: { mode: 'weekly' }, eventName: 'schedule', event: { schedule: '23 6 * * 1' } });
    expectExit(next, 0);
    expect(next.outputs).toMatchObject({ 'digest-action': 'created', 'candidate-count': '1', archived: '0' });
    expect(repos.issues(FULL)).toHaveLength(1);
    expect(dbArtifactCalls(next).filter((c) => c.method === 'CreateArtifact')).toHaveLength(1); // one upload per run
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(db.prs).toEqual([71, 72, 73]);
    const report = JSON.parse(readFileSync(next.outputs['report-path']!, 'utf8')) as Json;
    expect(JSON.parse(repos.file(FULL, STATE_BRANCH, 'state.json')!)).toEqual({ last_run: report.generated_at });

    // A re-run of that run (same artifact name): the digest is found by its marker and not posted again.
    const rerun = await runAction(FULL, { with: { mode: 'weekly' }, eventName: 'schedule', event: { schedule: '23 6 * * 1' }, run: actions.rerun(next.run) });
    expectExit(rerun, 0);
    expect(rerun.outputs['digest-action']).toMatch(/^(existing|skipped-empty)$/);
    expect(repos.issues(FULL)).toHaveLength(1);
  });
});

// =============================================================================================
// e. overlapping runs
// =============================================================================================

describe('e. 20 overlapping capture runs, then one more', () => {
  const FULL = 'acme/race';
  const RACERS = 20;

  it('the race loses lessons in the newest artifact; the next run catches every PR up', async () => {
    seedRepo(FULL);
    const lessonFor = (n: number): LessonSpec => ({
      key: `ts-rule-${n}`,
      type: 'pitfall',
      skill: 'typescript',
      insight: `Never widen the type of field number ${n} to any in the shared models.`,
    });
    // The database before the race: PR 100's capture.
    addLessonPr(FULL, 100, lessonFor(100), 3 * HOUR);
    const base = await runAction(FULL, { with: { mode: 'capture', 'pr-number': '100' } });
    expectExit(base, 0);
    const baseArtifact = newestArtifact(FULL);
    expect((await dbView(baseArtifact, FULL)).prs).toEqual([100]);

    // 20 PRs merge at once. Their runs overlap: each is held at the artifact listing until all 20 are
    // there, so every one of them loads the same newest artifact (PR 100's) and uploads its own. Catch-up
    // is off for them, as if each run had started before the other PRs merged.
    const prs = Array.from({ length: RACERS }, (_, i) => 101 + i);
    for (const n of prs) addLessonPr(FULL, n, lessonFor(n), 2 * HOUR - n * 1000);
    let arrived = 0;
    let release!: () => void;
    const allListed = new Promise<void>((resolve) => (release = resolve));
    actions.beforeList = async (repo) => {
      if (repo.name !== 'race') return;
      if (++arrived >= RACERS) release();
      await allListed;
    };
    let racers: E2eResult[];
    try {
      racers = await Promise.all(
        prs.map((n) =>
          runAction(FULL, {
            with: { mode: 'capture', 'catch-up-days': '0' },
            event: pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, n), merged: true }),
            onExit: () => release(), // a run that ends early must not keep the others waiting
          }),
        ),
      );
    } finally {
      actions.beforeList = null;
    }
    expect(arrived).toBe(RACERS);
    for (const r of racers) {
      expectExit(r, 0);
      expect(r.outputs).toMatchObject({ 'lessons-new': '1', 'prs-captured': '1' });
      expect(r.stdout).toContain(`loaded the lessons database from artifact #${baseArtifact.id}`);
      expect(r.twirp.map((c) => `${c.method} ${c.status}`)).toEqual(['CreateArtifact 200', 'FinalizeArtifact 200']);
    }
    expect(liveArtifacts(FULL)).toHaveLength(1 + RACERS);
    // The newest artifact holds PR 100 and the last uploader's PR only: 19 PRs lost from it.
    const afterRace = await dbView(newestArtifact(FULL), FULL);
    expect(afterRace.prs).toHaveLength(2);
    expect(afterRace.prs[0]).toBe(100);

    // One more merge: its run loads the newest artifact and catches up what the race lost.
    addLessonPr(FULL, 121, lessonFor(121), 60_000);
    const last = await runAction(FULL, { with: { mode: 'capture' }, event: pullRequestClosedEvent({ repo: repoObject(FULL), pull: pullOf(FULL, 121), merged: true }) });
    expectExit(last, 0);
    expect(last.warnings).toEqual([]);
    expect(last.outputs).toMatchObject({ 'prs-captured': String(RACERS), 'lessons-new': String(RACERS) });
    const final = await dbView(newestArtifact(FULL), FULL);
    expect(newestArtifact(FULL).run.id).toBe(last.run.id);
    const all = [100, ...prs, 121];
    expect(final.prs).toEqual(all);
    expect(final.lessons.map((l) => l.retro_pr).sort((a, b) => a! - b!)).toEqual(all);
    expect(final.lessons.map((l) => l.key).sort()).toEqual(all.map((n) => `ts-rule-${n}`).sort());
  }, 180_000);
});

// =============================================================================================
// f. promote-tiers
// =============================================================================================

describe('f. promote-tiers on the artifact database', () => {
  const tierLessons = (project: string): NewLesson[] => {
    const base = { project, type: 'pattern' as const, confidence: 8, source: 'user-stated' as const, skill: 'bash' };
    return [
      { ...base, id: 'lsn-old', key: 'bash-old-rule', insight: 'Quote every variable expansion in the old deploy scripts.', ts: recentIso(400 * DAY), tier: 'cold', retro_pr: 1 },
      { ...base, id: 'lsn-used', key: 'bash-used-rule', insight: 'Use set -euo pipefail at the top of every script.', ts: recentIso(10 * DAY), access_count: 4, retro_pr: 2 },
      { ...base, id: 'lsn-stale', key: 'bash-stale-rule', insight: 'Prefer printf over echo -e for portable output.', ts: recentIso(120 * DAY), retro_pr: 3 },
      { ...base, id: 'lsn-fresh', key: 'bash-fresh-rule', insight: 'Use mktemp -d for scratch directories in scripts.', ts: recentIso(DAY), retro_pr: 4 },
    ];
  };
  const monthFile = (iso: string): string => `${iso.slice(0, 7)}.md`;

  it('writes the archive file on the state branch, then moves the lesson to archival', async () => {
    const FULL = 'acme/tiers';
    seedRepo(FULL);
    const lessons = tierLessons(FULL);
    await seedDbArtifact({ repo: FULL, lessons, createdAt: recentIso(HOUR) });
    const r = await runAction(FULL, { with: { mode: 'promote-tiers' }, eventName: 'schedule', event: {} });
    expectExit(r, 0);
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ promoted: '1', demoted: '2', archived: '1' });

    const file = `archive/${monthFile(lessons[0]!.ts)}`;
    const archive = repos.file(FULL, STATE_BRANCH, file);
    expect(archive).toBeDefined();
    expect(archive).toContain(archiveMarker('lsn-old'));
    expect(archive).toContain('Quote every variable expansion in the old deploy scripts.');
    // The archive is one commit (git data API), made before the database (with the new tier) is uploaded.
    const refAt = r.requests.findIndex((q) => q.route === REPO_ROUTES.updateRef);
    const uploadAt = r.requests.findIndex((q) => q.route === TWIRP_ROUTE && q.path.endsWith('/CreateArtifact'));
    expect(ofRoute(r.requests, REPO_ROUTES.updateRef)).toHaveLength(1);
    expect(ofRoute(r.requests, PUT_CONTENT)).toEqual([]);
    expect(refAt).toBeGreaterThanOrEqual(0);
    expect(uploadAt).toBeGreaterThan(refAt);

    const db = await dbView(newestArtifact(FULL), FULL);
    const tier = Object.fromEntries(db.lessons.map((l) => [l.id, [l.tier, l.archived_path]]));
    expect(tier).toEqual({
      'lsn-old': ['archival', `${FULL}@${STATE_BRANCH}:${file}`],
      'lsn-used': ['hot', null],
      'lsn-stale': ['cold', null],
      'lsn-fresh': ['working', null],
    });
  });

  it('when the archive write is refused, the lesson keeps its tier and the run fails', async () => {
    const FULL = 'acme/tiers-refused';
    seedRepo(FULL);
    await seedDbArtifact({ repo: FULL, lessons: tierLessons(FULL), createdAt: recentIso(HOUR) });
    github.fault(REPO_ROUTES.updateRef, { kind: 'forbidden' });
    const r = await runAction(FULL, { with: { mode: 'promote-tiers' }, eventName: 'schedule', event: {} });
    expectExit(r, 1);
    expect(r.errors).toEqual([
      expect.stringMatching(/^lesson lsn-old: archive export to \d{4}-\d{2}\.md failed: GitHub denied access \(403 /),
      '1 lessons could not be archived (their tiers are unchanged)',
    ]);
    expect(r.outputs).toMatchObject({ promoted: '1', demoted: '1', archived: '0' });
    expect(repos.file(FULL, STATE_BRANCH, `archive/${monthFile(tierLessons(FULL)[0]!.ts)}`)).toBeUndefined();
    // The other moves landed and were uploaded; the unexported lesson is still cold.
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(newestArtifact(FULL).run.id).toBe(r.run.id);
    const tier = Object.fromEntries(db.lessons.map((l) => [l.id, [l.tier, l.archived_path]]));
    expect(tier['lsn-old']).toEqual(['cold', null]);
    expect(tier['lsn-used']).toEqual(['hot', null]);
  });
});

// =============================================================================================
// g. dry run
// =============================================================================================

describe('g. dry-run distill', () => {
  it('reads everything and writes nothing: no POST/PUT/PATCH/DELETE, no artifact upload', async () => {
    const FULL = 'acme/dry';
    seedRepo(FULL);
    GIT_C.forEach((l, i) => addLessonPr(FULL, 71 + i, l, (3 - i) * HOUR));
    const r = await runAction(FULL, { with: { mode: 'distill', 'dry-run': 'true' } });
    expectExit(r, 0);
    expect(r.errors).toEqual([]);
    expect(r.outputs).toMatchObject({ 'candidate-count': '1', 'digest-action': 'dry-run' });
    expect(r.outputs['issue-number']).toBeUndefined();
    expect(r.stdout).toMatch(/dry-run: would create issue "Mycelium: 1 skill candidate/);
    expect(r.stdout).toContain('watermark acme/dry@mycelium-state:state.json not advanced (dry-run)');
    // It did read: the PRs (catch-up), the artifact listing, the state file, earlier digests.
    expect(ofRoute(r.requests, 'GET /repos/{owner}/{repo}/pulls').length).toBeGreaterThanOrEqual(1);
    expect(ofRoute(r.requests, REPO_ROUTES.getContent).length).toBeGreaterThanOrEqual(1);
    expect(ofRoute(r.requests, REPO_ROUTES.listIssues).length).toBeGreaterThanOrEqual(1);
    // GraphQL reads are POSTs to /graphql; nothing else may write.
    expect(r.requests.filter(isWrite)).toEqual([]);
    expect(r.requests.filter((q) => q.method === 'POST').every((q) => q.route === 'POST /graphql' && !/\bmutation\b/.test(q.graphql?.query ?? ''))).toBe(true);
    expect(r.twirp).toEqual([]);
    expect(liveArtifacts(FULL)).toEqual([]);
    expect(repos.issues(FULL)).toEqual([]);
    expect(repos.labels(FULL)).toEqual([]);
    expect(repos.branches(FULL)).toEqual(['main']);
    expect(r.summary).toContain('Dry run: nothing is written to GitHub.');
  });
});

// =============================================================================================
// h. the point of it all: one rule stated by three maintainers becomes a skill candidate
// =============================================================================================

describe('h. three maintainers state one rule in their own words in three merged PRs', () => {
  const FULL = 'acme/stated-rule';
  const STATED: [number, string, string][] = [
    [31, 'maintainer-ana', 'Always pin third-party actions to a full commit SHA, not a tag like @v2.'],
    [32, 'maintainer-bo', 'Please pin third-party actions to a commit SHA instead of a version tag.'],
    [33, 'maintainer-cy', 'We should always pin third-party GitHub actions to a full commit SHA.'],
  ];

  it('capture stores each as user-stated 8 (the later ones +1), and the weekly run posts one digest with that candidate', async () => {
    seedRepo(FULL);
    for (const [n, login, text] of STATED) {
      const at = recentIso(5 * HOUR - n * 60_000);
      const comment = lessonComment(FULL, n, { key: 'x', type: 'pattern', skill: 'x', insight: 'x' }, at, login);
      github.addPull(FULL, {
        number: n,
        title: `Workflow change ${n}`,
        issue_comments: [{ ...comment, body: text }],
        pullOverrides: { merged_at: at, closed_at: at, updated_at: at },
      });
      const c = await runAction(FULL, { with: { mode: 'capture', 'pr-number': String(n) }, eventName: 'workflow_dispatch', event: { inputs: { 'pr-number': String(n) } } });
      expectExit(c, 0);
      expect(c.outputs).toMatchObject({ 'lessons-captured': '1', 'lessons-new': '1' });
    }
    const db = await dbView(newestArtifact(FULL), FULL);
    expect(db.lessons.map((l) => [l.retro_pr, l.source, l.confidence])).toEqual(
      expect.arrayContaining([
        [31, 'user-stated', 8],
        [32, 'user-stated', 9],
        [33, 'user-stated', 9],
      ]),
    );

    const r = await runAction(FULL, { with: { mode: 'distill' }, eventName: 'schedule', event: { schedule: '23 6 * * 1' } });
    expectExit(r, 0);
    expect(r.outputs).toMatchObject({ 'candidate-count': '1', 'digest-action': 'created' });
    const issues = repos.issues(FULL);
    expect(issues).toHaveLength(1);
    for (const [n] of STATED) expect(issues[0]!.body).toContain(`/${FULL}/pull/${n}`);
  });
});
