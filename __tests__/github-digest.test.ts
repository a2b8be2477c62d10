/**
 * Publishing the weekly digest issue and the weekly run (distill → publish → watermark) over real HTTP
 * against the GitHub double, with the project's Octokit client and a real sql.js store.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { bodyHasDigestMarker, digestId, digestMarker, ISSUE_BODY_LIMIT, renderDigestIssue } from '../src/core/digestIssue.js';
import type { DigestReport } from '../src/core/distill.js';
import type { NewLesson } from '../src/core/lesson.js';
import { formatTimestamp } from '../src/core/time.js';
import { parseWatermarkState } from '../src/core/watermark.js';
import { dryRunPublisher, dryRunWatermarkStore } from '../src/adapters/dryRun.js';
import { findDigestIssue, githubDigestPublisher, publishDigest, type PublishDigestOptions } from '../src/github/digestPublisher.js';
import { GitHubWriteError } from '../src/github/errors.js';
import type { MyceliumOctokit } from '../src/github/octokit.js';
import { repoStateStores } from '../src/github/repoState.js';
import { advanceWatermark, runDistill } from '../src/ops/distillRun.js';
import type { Logger } from '../src/ports/index.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { BASH_CD_LESSONS, daysAgo, NOW, NOW_ISO, US_PER_DAY } from './helpers/fixtures.js';
import { startGitHubDouble, type GitHubDouble } from './support/githubDouble.js';
import { installRepoRoutes, openapiProblems, ROUTES, WRITE_ROUTES, type RepoDouble } from './support/doubleRepo.js';
import { clientFor } from './support/octokitForDouble.js';

const REPO = 'acme/app';
const target = { owner: 'acme', repo: 'app' };
const BOT = 'github-actions[bot]';

let double: GitHubDouble;
let repos: RepoDouble;
let octokit: MyceliumOctokit;
let logs: { level: 'info' | 'warning'; message: string }[];
let log: Logger;
let store: LessonsStore;

function lesson(over: Partial<NewLesson> & { id: string; key: string; insight: string }): NewLesson {
  return { ts: daysAgo(2), project: REPO, type: 'pattern', confidence: 8, source: 'user-stated', skill: 'bash', retro_pr: 101, ...over };
}

const bashLessons = (): NewLesson[] =>
  BASH_CD_LESSONS.map((l, i) => lesson({ id: `lsn-${l.pr}`, key: l.key, insight: l.insight, confidence: l.confidence, retro_pr: l.pr, ts: daysAgo(3 - i) }));

beforeEach(async () => {
  double = await startGitHubDouble();
  repos = installRepoRoutes(double);
  repos.addRepo(REPO);
  octokit = clientFor(double).octokit;
  logs = [];
  log = { info: (m) => void logs.push({ level: 'info', message: m }), warning: (m) => void logs.push({ level: 'warning', message: m }) };
  store = await LessonsStore.open(null, 'test db');
  store.upsertLessons(bashLessons());
});
afterEach(async () => {
  store.close();
  expect(double.internalErrors).toEqual([]);
  expect(openapiProblems(repos.responses)).toEqual([]);
  await double.close();
});

const publishOpts = (over: Partial<PublishDigestOptions> = {}): Omit<PublishDigestOptions, 'report'> => ({
  ...target,
  labels: ['mycelium'],
  log,
  createRetryBaseMs: 0,
  ...over,
});

async function distilled(): Promise<DigestReport> {
  return runDistill(store, { now: NOW, project: REPO, watermark: null }, log);
}

/**
 * The digest half of the weekly run over the real GitHub adapters: distill without moving the watermark, publish,
 * then advance it once the digest is on GitHub (src/ops/weekly.ts does the same with the database around it; its
 * orderings are tested with fakes in ops-weekly.test.ts).
 */
async function weekly(over: { dryRun?: boolean; publish?: Partial<PublishDigestOptions>; now?: number } = {}) {
  const now = over.now ?? NOW;
  const { provenance = new Map(), ...publishOver } = over.publish ?? {};
  const real = { watermark: repoStateStores(octokit, { ...target, log }).watermark, publisher: githubDigestPublisher(octokit, publishOpts(publishOver)) };
  const watermark = over.dryRun ? dryRunWatermarkStore(real.watermark, log) : real.watermark;
  const publisher = over.dryRun ? dryRunPublisher(real.publisher, log, { repository: REPO }) : real.publisher;
  const report = await runDistill(store, { now, project: REPO, watermark, advance: false }, log);
  const publish = await publisher.publish(report, { provenance });
  const watermarkAdvanced = ['created', 'existing', 'skipped-empty'].includes(publish.action);
  if (watermarkAdvanced) await advanceWatermark(watermark, now);
  return { report, publish, watermarkAdvanced };
}

const stateText = (): string | undefined => repos.file(REPO, 'mycelium-state', 'state.json');
const issueWrites = (): number => double.requests.filter((r) => r.route === ROUTES.createIssue).length;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('publishDigest', () => {
  it('creates the issue once, with labels (created when missing), title and marker', async () => {
    const report = await distilled();
    const result = await publishDigest(octokit, { ...publishOpts({ labels: ['mycelium', 'skill-candidates'] }), report });
    const issues = repos.issues(REPO);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(result).toEqual({
      action: 'created',
      digestId: digestId(report),
      title: 'Mycelium: 1 skill candidate (week of 2026-03-09)',
      issueNumber: issue.number,
      issueUrl: issue.html_url,
    });
    expect(issue.title).toBe(result.title);
    expect(issue.labels.map((l: { name: string }) => l.name)).toEqual(['mycelium', 'skill-candidates']);
    expect(repos.labels(REPO).map((l) => l.name)).toEqual(['mycelium', 'skill-candidates']);
    expect(double.count(ROUTES.createLabel)).toBe(2);
    expect(bodyHasDigestMarker(issue.body, result.digestId!)).toBe(true);
    expect(issue.body).toContain('[#101](https://github.com/acme/app/pull/101)');
  });

  it('a second publish of the same digest finds the issue, even closed, and posts nothing', async () => {
    const report = await distilled();
    const first = await publishDigest(octokit, { ...publishOpts(), report });
    repos.issues(REPO)[0]!.state = 'closed'; // a maintainer closed it
    double.resetLog();
    const again = await publishDigest(octokit, { ...publishOpts(), report: { ...report, generated_at: formatTimestamp(NOW + US_PER_DAY) } });
    expect(again).toMatchObject({ action: 'existing', issueNumber: first.issueNumber, digestId: first.digestId });
    expect(repos.issues(REPO)).toHaveLength(1);
    expect(double.requests.every((r) => r.method === 'GET')).toBe(true);
    const list = double.requests.find((r) => r.route === ROUTES.listIssues)!;
    expect(list.query).toMatchObject({ state: 'all', labels: 'mycelium', sort: 'created', direction: 'desc', per_page: '100' });
  });

  it('finds the digest past the first page, skipping PRs and, with a creator, other people’s look-alikes', async () => {
    const report = await distilled();
    const { body, title } = renderDigestIssue(report, { repository: REPO });
    const ours = repos.addIssue(REPO, { title, body, labels: ['mycelium'], user: BOT });
    for (let i = 0; i < 150; i++) repos.addIssue(REPO, { title: `older digest ${i}`, body: `<!-- mycelium-digest:dg-${String(i).padStart(16, '0')} -->`, labels: ['mycelium'], user: BOT });
    repos.addIssue(REPO, { title: 'a PR quoting it', body, labels: ['mycelium'], user: BOT, pull: true });
    repos.addIssue(REPO, { title: 'copycat', body, labels: ['mycelium'], user: 'mallory' });

    const found = await findDigestIssue(octokit, { ...target, digestId: digestId(report), label: 'mycelium', creator: BOT });
    expect(found).toEqual({ number: ours.number, html_url: ours.html_url, state: 'open' });
    expect(double.count(ROUTES.listIssues)).toBe(2);
    expect(double.requests.map((r) => r.query.creator)).toEqual([BOT, BOT]);

    // Without the creator filter the newest look-alike (mallory's) is what a label search finds first.
    const any = await findDigestIssue(octokit, { ...target, digestId: digestId(report), label: 'mycelium' });
    expect(any?.number).toBe(repos.issues(REPO).at(-1)!.number);
  });

  it('an issue that merely quotes the marker (not on its first line) does not count', async () => {
    const report = await distilled();
    const { body } = renderDigestIssue(report, { repository: REPO });
    repos.addIssue(REPO, { title: 'discussion', body: `Look at this:\n${body}`, labels: ['mycelium'], user: BOT });
    const result = await publishDigest(octokit, { ...publishOpts(), report });
    expect(result.action).toBe('created');
    expect(repos.issues(REPO)).toHaveLength(2);
  });

  it('nothing new: no issue and no request at all', async () => {
    const report = await distilled();
    const empty: DigestReport = { ...report, candidate_count: 0, candidates: [] };
    const result = await publishDigest(octokit, { ...publishOpts(), report: empty });
    expect(result).toEqual({ action: 'skipped-empty', digestId: null, title: null, issueNumber: null, issueUrl: null });
    expect(double.requests).toEqual([]);
  });

  it('dry-run looks but writes nothing', async () => {
    const report = await distilled();
    const result = await dryRunPublisher(githubDigestPublisher(octokit, publishOpts()), log, { repository: REPO }).publish(report, { provenance: new Map() });
    expect(result).toMatchObject({ action: 'dry-run', issueNumber: null, digestId: digestId(report) });
    expect(double.requests.length).toBeGreaterThan(0);
    expect(double.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(repos.issues(REPO)).toEqual([]);
    expect(logs.some((l) => l.message.startsWith('dry-run: would create issue "Mycelium: 1 skill candidate (week of 2026-03-09)" in acme/app'))).toBe(true);
  });

  it('dry-run renders the body the real run would post, naming the configured conventions file', async () => {
    const report = await distilled();
    const real = githubDigestPublisher(octokit, { ...publishOpts(), conventionsFile: 'CLAUDE.md' });
    const result = await dryRunPublisher(real, log, { repository: REPO, conventionsFile: 'CLAUDE.md' }).publish(report, { provenance: new Map() });
    expect(result.body).toContain(digestMarker(digestId(report)));
    expect(result.body).toContain('CLAUDE.md');
    expect(result.body).not.toContain('AGENTS.md');
    expect(repos.issues(REPO)).toEqual([]);
    const posted = await real.publish(report, { provenance: new Map() });
    expect(posted.action).toBe('created');
    expect(repos.issues(REPO)[0]!.body).toBe(result.body);
  });

  it('an existing label is reused, and one created concurrently (422 already_exists) is fine', async () => {
    repos.addIssue(REPO, { title: 'x', labels: ['mycelium', 'skill-candidates'] }); // both labels exist now
    double.fault(ROUTES.getLabel, { kind: 'not-found' }); // our check for the first misses it
    const result = await publishDigest(octokit, { ...publishOpts({ labels: ['mycelium', 'skill-candidates'] }), report: await distilled() });
    expect(result.action).toBe('created');
    expect(repos.responses.filter((r) => r.route === ROUTES.createLabel).map((r) => r.status)).toEqual([422]);
    expect(repos.responses.filter((r) => r.route === ROUTES.getLabel).map((r) => r.status)).toEqual([200]); // the second: found
    expect(repos.labels(REPO)).toHaveLength(2);
  });

  it('a POST that created the issue but answered 502 is not repeated: the lookup finds it', async () => {
    const create = repos.routes().find((r) => `${r.method} ${r.path}` === ROUTES.createIssue)!;
    let calls = 0;
    double.route({
      ...create,
      handler: async (ctx) => {
        const answer = await create.handler(ctx);
        return ++calls === 1 ? { status: 502, body: { message: 'Server Error' } } : answer;
      },
    });
    const result = await publishDigest(octokit, { ...publishOpts(), report: await distilled() });
    expect(result.action).toBe('existing');
    expect(repos.issues(REPO)).toHaveLength(1);
    expect(calls).toBe(1); // plugin-retry did not repeat the POST, and neither did we
    expect(result.issueNumber).toBe(repos.issues(REPO)[0]!.number);
  });

  it('a 5xx burst on creation: bounded attempts, each after a fresh lookup, then one clear error', async () => {
    double.fault(ROUTES.createIssue, { kind: 'server-error', status: 502 }, 3);
    const err = await failure(publishDigest(octokit, { ...publishOpts({ createAttempts: 3 }), report: await distilled() }));
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect(err.message).toBe('GitHub server error (HTTP 502) creating the digest issue in acme/app, still failing after retries');
    expect(issueWrites()).toBe(3);
    expect(double.count(ROUTES.listIssues)).toBe(3); // before the first attempt, and after each failure but the last
    expect(repos.issues(REPO)).toEqual([]);
  });
});

describe('the weekly run', () => {
  it('first run: state branch created, issue posted, then the watermark advanced', async () => {
    const result = await weekly();
    expect(result.publish.action).toBe('created');
    expect(result.watermarkAdvanced).toBe(true);
    expect(result.report.candidate_count).toBe(1);
    expect(repos.issues(REPO)).toHaveLength(1);
    expect(parseWatermarkState(stateText()!, 'state').lastRun).toBe(NOW);
    // Published before the watermark moved.
    const order = double.requests.map((r) => r.route).filter((r) => r === ROUTES.createIssue || r === ROUTES.putContent);
    expect(order).toEqual([ROUTES.createIssue, ROUTES.putContent]);

    // Next week, nothing new: no issue, watermark still advances.
    double.resetLog();
    const next = await weekly({ now: NOW + 7 * US_PER_DAY });
    expect(next.publish.action).toBe('skipped-empty');
    expect(next.report.candidate_count).toBe(0);
    expect(double.count(ROUTES.listIssues) + issueWrites()).toBe(0);
    expect(parseWatermarkState(stateText()!, 'state').lastRun).toBe(NOW + 7 * US_PER_DAY);
  });

  it('a corrupt state.json warns and counts as a first run', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{not valid json');
    const result = await weekly();
    expect(logs.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      'watermark acme/app@mycelium-state:state.json is not valid JSON; treating this as a first run',
    ]);
    expect(result.report.watermark).toBeNull();
    expect(result.report.candidate_count).toBe(1);
    expect(result.publish.action).toBe('created');
    expect(JSON.parse(stateText()!)).toEqual({ last_run: NOW_ISO });
  });

  it('a failure between posting and the watermark write: the re-run finds the issue and posts no second one', async () => {
    double.fault(ROUTES.putContent, { kind: 'forbidden' });
    const err = await failure(weekly());
    expect(err.message).toMatch(/^GitHub denied access \(403 .*\) writing state file acme\/app@mycelium-state:state\.json/);
    expect(repos.issues(REPO)).toHaveLength(1);
    expect(stateText()).toBeUndefined();

    double.resetLog();
    const rerun = await weekly();
    expect(rerun.publish.action).toBe('existing');
    expect(rerun.publish.issueNumber).toBe(repos.issues(REPO)[0]!.number);
    expect(issueWrites()).toBe(0);
    expect(repos.issues(REPO)).toHaveLength(1);
    expect(rerun.watermarkAdvanced).toBe(true);
    expect(JSON.parse(stateText()!)).toEqual({ last_run: NOW_ISO });
  });

  it.each([
    ['a 5xx burst beyond the retries', { kind: 'server-error', status: 503 } as const, 2, 'GitHub server error (HTTP 503) creating the digest issue in acme/app, still failing after retries'],
    [
      'a 403',
      { kind: 'forbidden' } as const,
      1,
      'GitHub denied access (403 Resource not accessible by integration) creating the digest issue in acme/app: the token needs issues write access',
    ],
  ])('issue creation failing with %s leaves the watermark unchanged', async (_name, fault, times, message) => {
    const before = `{"last_run": "${daysAgo(30)}"}\n`;
    repos.seedFile(REPO, 'mycelium-state', 'state.json', before);
    double.fault(ROUTES.createIssue, fault, times);
    const err = await failure(weekly({ publish: { createAttempts: 2 } }));
    expect(err.message).toBe(message);
    expect(issueWrites()).toBe(times);
    expect(repos.issues(REPO)).toEqual([]);
    expect(stateText()).toBe(before);
    expect(double.count(ROUTES.putContent)).toBe(0);

    // The lessons are still new for the next run, which posts them.
    const rerun = await weekly();
    expect(rerun.publish.action).toBe('created');
    expect(rerun.report.candidates[0]!.has_new_evidence).toBe(true);
    expect(repos.issues(REPO)).toHaveLength(1);
  });

  it('dry-run makes no write request and leaves the watermark alone', async () => {
    repos.seedFile(REPO, 'mycelium-state', 'state.json', '{"last_run": "2026-01-01T00:00:00Z"}\n');
    const result = await weekly({ dryRun: true });
    expect(result.publish.action).toBe('dry-run');
    expect(result.watermarkAdvanced).toBe(false);
    expect(double.requests.length).toBeGreaterThan(0);
    expect(double.requests.filter((r) => r.method !== 'GET' || WRITE_ROUTES.includes(r.route ?? ''))).toEqual([]);
    expect(repos.issues(REPO)).toEqual([]);
    expect(repos.labels(REPO)).toEqual([]);
    expect(stateText()).toBe('{"last_run": "2026-01-01T00:00:00Z"}\n');
  });

  it('hostile lesson text: the posted body is safe and within 65,536 characters', async () => {
    // Close enough to the bash-cd lessons to join their cluster, with a payload and 70k characters.
    const base = BASH_CD_LESSONS[1].insight;
    const hostile =
      `${base} @everyone @acme/security-team <img src=x onerror=alert(1)> <!-- mycelium-digest:dg-0000000000000000 --> \n\`\`\`\n| pipe | ` +
      `${base} `.repeat(600);
    expect(hostile.length).toBeGreaterThan(70_000);
    store.upsertLessons([
      lesson({ id: 'lsn-evil', key: 'bash-cd-evil', insight: hostile, retro_pr: 104, ts: daysAgo(1), confidence: 10 }),
    ]);
    const result = await weekly({
      publish: { provenance: { 'lsn-evil': { comment_url: 'https://github.com/acme/app/pull/104#discussion_r1', author: 'mallory' } } },
    });
    expect(result.publish.action).toBe('created');
    expect(result.report.candidates[0]!.cluster.lesson_ids).toContain('lsn-evil');
    const body = String(repos.issues(REPO)[0]!.body);
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(body).toContain('@\u200deveryone');
    expect(body).not.toMatch(/@[A-Za-z0-9]/);
    expect(body).not.toMatch(/<(img|script)/i);
    // Only the renderer's own hidden lines: the digest marker first, the candidate index; none from the lesson.
    expect(body.split('\n').filter((l) => l.includes('<!--')).map((l) => l.replace(/ .*/, ''))).toEqual(['<!--', '<!--']);
    expect(body.split('<!-- mycelium-digest:').length - 1).toBe(1);
    expect(body.split('\n').filter((l) => l.startsWith('```'))).toEqual([]);
    expect(body).toContain('[comment](https://github.com/acme/app/pull/104#discussion_r1) by mallory');
    expect(bodyHasDigestMarker(body, result.publish.digestId!)).toBe(true);
  });
});

describe('the double', () => {
  it('the OpenAPI check notices a malformed answer', () => {
    const problems = openapiProblems([{ route: ROUTES.getRef, method: 'GET', path: '/repos/{owner}/{repo}/git/ref/{ref}', status: 200, body: { ref: 1 } }]);
    expect(problems.join('\n')).toMatch(/\$\.ref: expected string, got integer/);
    expect(problems.join('\n')).toMatch(/missing required property "object"/);
  });
});
