/**
 * readPrBundle over real HTTP (the GitHub double) with the project's real Octokit client.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { validate } from '@octokit/graphql-schema';
import { parsePrBundle, type PrBundle } from '../src/capture/bundle.js';
import { canonicalIssueComment, canonicalReviewComment } from '../src/github/bundleShapes.js';
import { readPrBundle, restUserFromActor, toRestId } from '../src/github/readPullRequest.js';
import { graphqlLogin, startGitHubDouble, type GitHubDouble, type Json } from './support/githubDouble.js';
import { clientFor } from './support/octokitForDouble.js';
import {
  manyIssueComments,
  manyReviewComments,
  manyReviews,
  realData,
  resolvedRoots2965,
  seedRealPulls,
  SEEDED,
} from './support/realData.js';

const ROUTE = {
  reviewComments: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
  issueComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  graphql: 'POST /graphql',
} as const;

let double: GitHubDouble;
const graphqlSent: string[] = [];

beforeAll(async () => {
  double = await startGitHubDouble();
  seedRealPulls(double);
});
beforeEach(() => {
  double.resetLog();
});
afterEach(() => {
  for (const r of double.requests) if (r.graphql) graphqlSent.push(r.graphql.query);
  expect(double.internalErrors).toEqual([]);
});
afterAll(async () => {
  await double.close();
});

const byId = (a: Json, b: Json): number => Number(a.id) - Number(b.id);
const ids = (xs: Json[]): number[] => xs.map((x) => Number(x.id));

/** The error a read fails with (fails the test if it succeeds). */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`, { cause: e });
  }
  throw new Error('expected the read to fail, but it succeeded');
}

/** The request count the module documents: G + max(1,⌈rc/100⌉) + max(1,⌈ic/100⌉). */
function expectedRequests(p: { rc: number; ic: number; reviews: number; threads: number; threadSizes?: number[] }): number {
  const c = (n: number) => Math.ceil(n / 100);
  const g = Math.max(1, c(p.reviews), c(p.threads)) + (p.threadSizes ?? []).reduce((s, n) => s + Math.max(0, c(n) - 1), 0);
  return g + Math.max(1, c(p.rc)) + Math.max(1, c(p.ic));
}

describe('a real PR (jleechanorg/worldarchitect.ai#2965: 84 review comments, 34 threads)', () => {
  let bundle: PrBundle;
  let requests: number;
  beforeAll(async () => {
    const { octokit } = clientFor(double);
    ({ bundle, requests } = await readPrBundle(octokit, SEEDED.pr2965));
  });

  it('holds every review comment with its fields as REST returns them (canonical shape)', () => {
    const rest = realData.reviewComments2965().sort(byId);
    expect(bundle.review_comments).toHaveLength(84);
    expect(JSON.parse(JSON.stringify(bundle.review_comments))).toEqual(rest.map(canonicalReviewComment));
    // Every kept field is REST's own value; only REST-only decoration (_links, reactions, user urls) is dropped.
    bundle.review_comments.forEach((c, i) => {
      for (const [key, value] of Object.entries(c)) {
        if (key === 'user') expect(value).toEqual({ login: rest[i]!.user.login, type: rest[i]!.user.type });
        else expect(value).toEqual(rest[i]![key] ?? null);
      }
      expect('in_reply_to_id' in c).toBe(rest[i]!.in_reply_to_id !== undefined);
    });
  });

  it('keeps ids above 2^31 exact, in comments, reviews and threads', () => {
    const restIds = new Set(ids(realData.reviewComments2965()));
    expect([...restIds].every((id) => id > 2 ** 31)).toBe(true);
    const threadIds = bundle.review_threads!.flatMap((t) => t.comments.map((c) => c.id));
    expect(threadIds).toHaveLength(84);
    expect(new Set(threadIds)).toEqual(restIds);
    expect(bundle.reviews.every((r) => r.id > 2 ** 31)).toBe(true);
  });

  it('reads thread state: 34 threads, 5 resolved by the author, outdated where the line is gone', () => {
    const threads = bundle.review_threads!;
    expect(threads).toHaveLength(34);
    const resolvedRoots = new Set(resolvedRoots2965());
    const resolved = threads.filter((t) => t.is_resolved);
    expect(resolved.map((t) => t.comments[0]!.id).sort()).toEqual([...resolvedRoots].sort());
    expect(resolved.every((t) => t.resolved_by === 'jleechan2015')).toBe(true);
    expect(threads.filter((t) => !t.is_resolved).every((t) => t.resolved_by === null)).toBe(true);
    const rest = new Map(realData.reviewComments2965().map((c) => [c.id as number, c]));
    for (const t of threads) {
      const root = rest.get(t.comments[0]!.id!)!;
      expect(root.in_reply_to_id).toBeUndefined();
      expect(t.is_outdated).toBe(root.line === null);
      expect(t.path).toBe(root.path);
      // Replies follow their root, each pointing back into the thread.
      for (const c of t.comments.slice(1)) expect(rest.get(c.id!)!.in_reply_to_id).toBeDefined();
    }
  });

  it('keeps bot logins without [bot] in threads and with [bot] (or Copilot) in REST objects', () => {
    const rest = new Map(realData.reviewComments2965().map((c) => [c.id as number, c]));
    const seen = new Set<string>();
    for (const c of bundle.review_threads!.flatMap((t) => t.comments)) {
      const restUser = rest.get(c.id!)!.user;
      expect(c.author).toBe(graphqlLogin(restUser));
      expect(c.body).toBe(rest.get(c.id!)!.body);
      seen.add(c.author!);
    }
    expect(seen).toEqual(new Set(['chatgpt-codex-connector', 'coderabbitai', 'cursor', 'copilot-pull-request-reviewer', 'jleechan2015']));
    const restLogins = new Set(bundle.review_comments.map((c) => `${c.user!.type}:${c.user!.login}`));
    expect(restLogins).toContain('Bot:Copilot');
    expect(restLogins).toContain('Bot:coderabbitai[bot]');
  });

  it('turns GraphQL reviews into the REST review shape (what GET .../reviews returns)', async () => {
    const { octokit } = clientFor(double);
    const rest = (await octokit.paginate(octokit.rest.pulls.listReviews, { ...SEEDED.pr2965, per_page: 100 })) as unknown as Json[];
    expect(bundle.reviews).toHaveLength(rest.length);
    expect(bundle.reviews.map(pickReview)).toEqual(rest.map(pickReview));
    expect(bundle.reviews.map((r) => r.user!.login)).toContain('copilot-pull-request-reviewer[bot]');
  });

  it('builds the pull request from GraphQL when no event pull is given, in REST shape', async () => {
    const { octokit } = clientFor(double);
    const { data: rest } = await octokit.rest.pulls.get(SEEDED.pr2965);
    const pr = bundle.pull_request as Json;
    expect(pr).toMatchObject({
      id: rest.id,
      node_id: rest.node_id,
      number: 2965,
      html_url: rest.html_url,
      title: rest.title,
      body: rest.body,
      state: 'closed',
      merged: true,
      merged_at: rest.merged_at,
      draft: rest.draft,
      user: { login: rest.user.login, type: rest.user.type },
      author_association: rest.author_association,
      labels: [{ name: 'enhancement' }],
      base: { ref: rest.base.ref, sha: rest.base.sha, repo: { full_name: 'jleechanorg/worldarchitect.ai' } },
      head: { ref: rest.head.ref, sha: rest.head.sha },
      merge_commit_sha: rest.merge_commit_sha,
    });
  });

  it('needs 3 requests: one GraphQL query and one page of each REST list', () => {
    expect(requests).toBe(3);
    expect(requests).toBe(expectedRequests({ rc: 84, ic: 0, reviews: 75, threads: 34 }));
  });

  it('survives JSON round trip and parsePrBundle (a saved bundle replays the same)', () => {
    const replay = parsePrBundle(JSON.parse(JSON.stringify(bundle)), 'replay');
    expect(replay).toEqual(bundle);
  });
});

function pickReview(r: Json): Json {
  return {
    id: r.id,
    node_id: r.node_id,
    login: r.user?.login,
    type: r.user?.type,
    body: r.body,
    state: r.state,
    html_url: r.html_url,
    submitted_at: r.submitted_at,
    author_association: r.author_association,
    commit_id: r.commit_id,
  };
}

describe('other real PRs', () => {
  it('parcadei/Continuous-Claude-v3#84: 27 real REST reviews come back with their REST users', async () => {
    const { octokit } = clientFor(double);
    const { bundle } = await readPrBundle(octokit, SEEDED.pr84);
    expect(bundle.reviews.map(pickReview)).toEqual(realData.reviews84().sort(byId).map(pickReview));
    const logins = new Set(bundle.reviews.map((r) => r.user!.login));
    expect(logins).toEqual(new Set(realData.reviews84().map((r) => r.user.login)));
    expect(logins).toContain('coderabbitai[bot]');
    expect(bundle.review_comments).toEqual([]);
    expect(bundle.review_threads).toEqual([]);
  });

  it('kubernetes-sigs/headlamp#5049: issue comments as REST has them (k8s-ci-robot stays type User)', async () => {
    const { octokit } = clientFor(double);
    const { bundle, requests } = await readPrBundle(octokit, SEEDED.pr5049);
    expect(JSON.parse(JSON.stringify(bundle.issue_comments))).toEqual(realData.issueComments5049().map(canonicalIssueComment));
    expect(bundle.issue_comments.map((c) => `${c.user!.login}/${c.user!.type}`)).toEqual([
      'k8s-ci-robot/User',
      'linux-foundation-easycla[bot]/Bot',
      'k8s-ci-robot/User',
    ]);
    expect((bundle.pull_request as Json).labels).toEqual([{ name: 'do-not-merge/hold' }]);
    expect(requests).toBe(3);
  });
});

describe('pagination and the request count', () => {
  let n = 100;
  function seed(p: { rc: number; ic: number; reviews: number; threads: number }): { owner: string; repo: string; pull_number: number } {
    const number = ++n;
    const full = 'acme/big';
    const review_comments = p.rc ? manyReviewComments({ fullName: full, number, count: p.rc, threads: p.threads, firstId: 3_100_000_000 + number * 10_000 }) : [];
    double.addPull(full, {
      number,
      review_comments,
      issue_comments: manyIssueComments(full, number, p.ic, 3_200_000_000 + number * 10_000),
      reviews: manyReviews(full, number, p.reviews, 3_300_000_000 + number * 10_000),
    });
    return { owner: 'acme', repo: 'big', pull_number: number };
  }

  it('reads 250 review comments in 3 pages of 100 (5 requests in all)', async () => {
    const pr = seed({ rc: 250, ic: 0, reviews: 0, threads: 50 });
    const { octokit } = clientFor(double);
    const { bundle, requests } = await readPrBundle(octokit, pr);
    expect(bundle.review_comments).toHaveLength(250);
    expect(new Set(ids(bundle.review_comments)).size).toBe(250);
    expect(ids(bundle.review_comments)).toEqual([...ids(bundle.review_comments)].sort((a, b) => a - b));
    const pages = double.requests.filter((r) => r.route === ROUTE.reviewComments);
    expect(pages).toHaveLength(3);
    expect(pages.map((r) => r.query.per_page)).toEqual(['100', '100', '100']);
    expect(bundle.review_threads).toHaveLength(50);
    expect(bundle.review_threads!.every((t) => t.comments.length === 5)).toBe(true);
    expect(requests).toBe(5);
    expect(requests).toBe(double.count());
    expect(requests).toBeLessThanOrEqual(Math.ceil(250 / 100) + 3);
  });

  const shapes: Array<{ rc: number; ic: number; reviews: number; threads: number }> = [
    { rc: 0, ic: 0, reviews: 0, threads: 1 },
    { rc: 100, ic: 100, reviews: 100, threads: 100 },
    { rc: 101, ic: 1, reviews: 3, threads: 101 },
    { rc: 250, ic: 130, reviews: 105, threads: 120 },
  ];
  it.each(shapes)('request count follows the documented formula: %p', async (shape) => {
    const pr = seed(shape);
    const { octokit } = clientFor(double);
    const { bundle, requests } = await readPrBundle(octokit, pr);
    const threads = Math.min(shape.threads, shape.rc);
    expect(bundle.review_comments).toHaveLength(shape.rc);
    expect(bundle.issue_comments).toHaveLength(shape.ic);
    expect(bundle.reviews).toHaveLength(shape.reviews);
    expect(bundle.review_threads).toHaveLength(threads);
    const expected = expectedRequests({ ...shape, threads });
    expect(requests).toBe(expected);
    expect(double.count()).toBe(expected);
    if (shape.reviews <= 100 && threads <= 100) expect(requests).toBeLessThanOrEqual(Math.ceil((shape.rc + shape.ic) / 100) + 3);
    // Further GraphQL pages fetch only the connections that still have pages.
    const gql = double.requests.filter((r) => r.graphql);
    expect(gql[0]!.graphql!.variables).toMatchObject({ withPull: true, withReviews: true, withThreads: true });
    for (const later of gql.slice(1)) {
      expect(later.graphql!.variables.withPull).toBe(false);
      expect(later.graphql!.variables.withReviews).toBe(shape.reviews > 100);
    }
  });

  it('follows a thread with more than 100 comments by its own cursor', async () => {
    const pr = seed({ rc: 130, ic: 0, reviews: 1, threads: 1 });
    const { octokit } = clientFor(double);
    const { bundle, requests } = await readPrBundle(octokit, pr);
    expect(bundle.review_threads).toHaveLength(1);
    const comments = bundle.review_threads![0]!.comments;
    expect(comments).toHaveLength(130);
    expect(comments.map((c) => c.id)).toEqual(ids(bundle.review_comments));
    expect(comments.slice(1).every((c) => (c as Json).in_reply_to_id === comments[0]!.id)).toBe(true);
    expect(requests).toBe(expectedRequests({ rc: 130, ic: 0, reviews: 1, threads: 1, threadSizes: [130] }));
    expect(requests).toBe(5);
    expect(double.requests.filter((r) => r.graphql?.query.includes('MyceliumThreadComments'))).toHaveLength(1);
  });

  it('uses the event pull object when given (same count, no PR fields asked)', async () => {
    const { octokit } = clientFor(double);
    const { data: pull } = await octokit.rest.pulls.get(SEEDED.pr3325);
    double.resetLog();
    const { bundle, requests } = await readPrBundle(octokit, { ...SEEDED.pr3325, pull: pull });
    expect(JSON.parse(JSON.stringify(bundle.pull_request))).toEqual(pull);
    expect(requests).toBe(3);
    const gql = double.requests.find((r) => r.graphql)!;
    expect(gql.graphql!.variables.withPull).toBe(false);
    expect(JSON.parse(JSON.stringify(bundle.review_comments))).toEqual(realData.reviewComments3325().sort(byId).map(canonicalReviewComment));
  });

  it('refuses an event pull object of another PR', async () => {
    const { octokit } = clientFor(double);
    await expect(readPrBundle(octokit, { ...SEEDED.pr3325, pull: { number: 1 } })).rejects.toThrow(/is PR #1, not #3325/);
    expect(double.count()).toBe(0);
  });
});

describe('faults', () => {
  it('survives a 5xx burst (retried by plugin-retry; retries not counted as requests)', async () => {
    const { octokit } = clientFor(double);
    const clean = await readPrBundle(octokit, SEEDED.pr2965);
    double.resetLog();
    double.fault(ROUTE.reviewComments, { kind: 'server-error', status: 502 }, 2);
    double.fault(ROUTE.issueComments, { kind: 'server-error', status: 500 }, 1);
    double.fault(ROUTE.graphql, { kind: 'server-error', status: 503 }, 1);
    const { bundle, requests } = await readPrBundle(clientFor(double).octokit, SEEDED.pr2965);
    expect(bundle).toEqual(clean.bundle);
    expect(requests).toBe(3);
    expect(double.count()).toBe(3 + 4);
    expect(double.requests.filter((r) => r.status >= 500)).toHaveLength(4);
  });

  it('gives up on a longer 5xx burst after the configured retries, with one clear line', async () => {
    double.fault(ROUTE.reviewComments, { kind: 'server-error', status: 502 }, 50);
    const { octokit } = clientFor(double, { serverErrorRetries: 2 });
    const err = await failure(readPrBundle(octokit, SEEDED.pr2965));
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(
      'GitHub server error (HTTP 502) reading PR jleechanorg/worldarchitect.ai#2965, still failing after retries',
    );
    expect(double.count(ROUTE.reviewComments)).toBe(3);
  });

  it('survives a secondary rate limit (403 + retry-after), waiting what GitHub asked', async () => {
    double.fault(ROUTE.reviewComments, { kind: 'secondary-rate-limit', retryAfter: 3 }, 2);
    const client = clientFor(double);
    const { bundle } = await readPrBundle(client.octokit, SEEDED.pr2965);
    expect(bundle.review_comments).toHaveLength(84);
    expect(double.count(ROUTE.reviewComments)).toBe(3);
    expect(client.rateLimitEvents.map((e) => [e.kind, e.retryAfterSeconds, e.retryCount, e.willRetry])).toEqual([
      ['secondary-rate-limit', 3, 0, true],
      ['secondary-rate-limit', 3, 1, true],
    ]);
    expect(client.logs.filter((l) => l.level === 'warn').map((l) => l.message)[0]).toMatch(/secondary rate limit on GET .*retrying in 3s/);
  });

  it('survives a secondary rate limit sent as 429, and on GraphQL', async () => {
    double.fault(ROUTE.issueComments, { kind: 'secondary-rate-limit', status: 429, retryAfter: 1 }, 1);
    double.fault(ROUTE.graphql, { kind: 'secondary-rate-limit', retryAfter: 1 }, 1);
    const client = clientFor(double);
    const { bundle, requests } = await readPrBundle(client.octokit, SEEDED.pr2965);
    expect(bundle.review_threads).toHaveLength(34);
    expect(requests).toBe(3);
    expect(double.count()).toBe(5);
    expect(client.rateLimitEvents.every((e) => e.kind === 'secondary-rate-limit' && e.willRetry)).toBe(true);
  });

  it('survives the primary rate limit (403, x-ratelimit-remaining 0) by waiting for the reset', async () => {
    double.fault(ROUTE.reviewComments, { kind: 'rate-limit', resetIn: 0 }, 1);
    const client = clientFor(double);
    const { bundle } = await readPrBundle(client.octokit, SEEDED.pr2965);
    expect(bundle.review_comments).toHaveLength(84);
    expect(client.rateLimitEvents).toHaveLength(1);
    expect(client.rateLimitEvents[0]!.kind).toBe('rate-limit');
  });

  it('retries a rate limit a bounded number of times, and only through throttling (429 not retried twice)', async () => {
    double.fault(ROUTE.issueComments, { kind: 'secondary-rate-limit', status: 429, retryAfter: 1 }, 100);
    const client = clientFor(double, { rateLimitRetries: 2 });
    const err = await failure(readPrBundle(client.octokit, SEEDED.pr2965));
    expect(err.message).toBe(
      'GitHub rate limit exceeded reading PR jleechanorg/worldarchitect.ai#2965 (HTTP 429, retry-after 1s), gave up after retrying',
    );
    expect(double.count(ROUTE.issueComments)).toBe(3);
    expect(client.rateLimitEvents.map((e) => e.willRetry)).toEqual([true, true, false]);
  });

  it('does not sleep through a retry-after longer than allowed', async () => {
    double.fault(ROUTE.reviewComments, { kind: 'secondary-rate-limit', retryAfter: 3600 }, 1);
    const client = clientFor(double, { maxRetryAfterSeconds: 60 });
    const err = await failure(readPrBundle(client.octokit, SEEDED.pr2965));
    expect(err.message).toMatch(/^GitHub rate limit exceeded reading PR jleechanorg\/worldarchitect\.ai#2965 \(HTTP 403, retry-after 3600s\)/);
    expect(double.count(ROUTE.reviewComments)).toBe(1);
    expect(client.rateLimitEvents).toEqual([expect.objectContaining({ retryAfterSeconds: 3600, willRetry: false })]);
  });
});

describe('errors are one clear line', () => {
  it('404: a PR that does not exist', async () => {
    const { octokit } = clientFor(double);
    const err = await failure(readPrBundle(octokit, { owner: 'jleechanorg', repo: 'worldarchitect.ai', pull_number: 999999 }));
    expect(err.message).toBe('PR jleechanorg/worldarchitect.ai#999999 not found or token lacks access');
    expect(double.requests.every((r) => r.status === 404 || r.route === ROUTE.graphql)).toBe(true);
  });

  it('404: a repository the token cannot see (REST 404 on one list only)', async () => {
    double.fault(ROUTE.issueComments, { kind: 'not-found' }, 1);
    const { octokit } = clientFor(double);
    const err = await failure(readPrBundle(octokit, SEEDED.pr2965));
    expect(err.message).toBe('PR jleechanorg/worldarchitect.ai#2965 not found or token lacks access');
    expect(double.count(ROUTE.issueComments)).toBe(1); // 404 is not retried
  });

  it('401: a bad token, not retried', async () => {
    double.setTokens(['the-right-token']);
    try {
      const { octokit } = clientFor(double, { token: 'a-wrong-token' });
      const err = await failure(readPrBundle(octokit, SEEDED.pr2965));
      expect(err.message).toBe(
        'GitHub rejected the token (401 Bad credentials) reading PR jleechanorg/worldarchitect.ai#2965: check the github-token input',
      );
      expect(double.count()).toBe(3);
      expect(double.requests.every((r) => r.authorization === 'token a-wrong-token')).toBe(true);
    } finally {
      double.setTokens(null);
    }
  });

  it('403: a token without permission', async () => {
    double.fault(ROUTE.reviewComments, { kind: 'forbidden' }, 1);
    const { octokit } = clientFor(double);
    const err = await failure(readPrBundle(octokit, SEEDED.pr2965));
    expect(err.message).toMatch(/^GitHub denied access \(403 Resource not accessible by integration\) reading PR jleechanorg\/worldarchitect\.ai#2965/);
    expect(err.message).not.toContain('\n');
    expect(double.count(ROUTE.reviewComments)).toBe(1);
  });

  it('a bad PR number is refused before any request', async () => {
    const { octokit } = clientFor(double);
    await expect(readPrBundle(octokit, { owner: 'a', repo: 'b', pull_number: 0 })).rejects.toThrow(/positive integer/);
    expect(double.count()).toBe(0);
  });
});

describe('normalisation helpers', () => {
  it('fullDatabaseId strings become exact numbers; unsafe ones are refused', () => {
    expect(toRestId('2656619827', 'x')).toBe(2656619827);
    expect(toRestId('9007199254740991', 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toRestId(null, 'x')).toBeNull();
    expect(() => toRestId('9007199254740993', 'review comment')).toThrow(/review comment id 9007199254740993/);
  });

  it('GraphQL bots get their REST [bot] login back; users do not', () => {
    expect(restUserFromActor({ __typename: 'Bot', login: 'coderabbitai' })).toEqual({ login: 'coderabbitai[bot]', type: 'Bot' });
    expect(restUserFromActor({ __typename: 'User', login: 'jleechan2015' })).toEqual({ login: 'jleechan2015', type: 'User' });
    expect(restUserFromActor(null)).toBeNull();
  });
});

describe("every GraphQL query sent validates against GitHub's schema", () => {
  it('(checked over all the queries the tests above made)', () => {
    expect(graphqlSent.length).toBeGreaterThan(10);
    for (const q of new Set(graphqlSent)) expect(validate(q).map((e) => e.message)).toEqual([]);
    expect(new Set(graphqlSent.map((q) => /query (\w+)/.exec(q)?.[1]))).toEqual(new Set(['MyceliumPrReview', 'MyceliumThreadComments']));
  });
});
