/**
 * Backfill over the GitHub double: GitHub's cost formula (ours and the double's, held equal), batched reads
 * building the same bundles as per-PR reads, and a busy repository's year (1,000 merged PRs) captured in one
 * run within GITHUB_TOKEN's budget, and again by runs cut off by the budget and the clock that resume.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { validate } from '@octokit/graphql-schema';
import { queryLimits } from '../src/github/graphqlCost.js';
import { batchLimits, batchQuery, checkBatchSize, DEFAULT_BATCH_SIZE, readPrBatch, type BatchPull } from '../src/github/prBatch.js';
import { PR_QUERY_POINTS, PR_REVIEW_QUERY, readPrBundle } from '../src/github/readPullRequest.js';
import { backfillMergedPrs, DEFAULT_BACKFILL_BUDGET, describeBackfill, type BackfillResult } from '../src/ops/backfill.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { seedBusyRepo, type BusyRepo } from './support/busyRepo.js';
import { graphqlQueryLimits, startGitHubDouble, type GitHubDouble, type Json, type RecordedRequest } from './support/githubDouble.js';
import { clientFor } from './support/octokitForDouble.js';
import { seedRealPulls, SEEDED } from './support/realData.js';

let double: GitHubDouble;
let busy: BusyRepo;
let resume: BusyRepo;
const graphqlSent: string[] = [];
const quiet = { info: () => {}, warning: () => {} };
const NOW = '2026-11-20T01:00:00Z';
const SINCE = '2025-11-20T00:00:00Z';

beforeAll(async () => {
  double = await startGitHubDouble();
  seedRealPulls(double);
  busy = seedBusyRepo(double);
  resume = seedBusyRepo(double, { fullName: 'acme/resume', count: 400 });
});
beforeEach(() => double.resetLog());
afterEach(() => {
  for (const r of double.requests) if (r.graphql) graphqlSent.push(r.graphql.query);
  expect(double.internalErrors).toEqual([]);
});
afterAll(async () => {
  await double.close();
});

/** What the double charged for `requests`: REST requests, and GraphQL points by its own reading of each query. */
function charged(requests: readonly RecordedRequest[]): { rest: number; points: number; queries: number } {
  let rest = 0;
  let points = 0;
  let queries = 0;
  for (const r of requests) {
    if (r.graphql) {
      queries++;
      points += graphqlQueryLimits(r.graphql.query, r.graphql.variables, r.graphql.operationName).cost;
    } else rest++;
  }
  return { rest, points, queries };
}

describe("GitHub's GraphQL cost formula", () => {
  it("gives the docs' worked example: 100 repositories × 50 issues × 60 labels = 5,101 requests, 51 points", () => {
    const ours = queryLimits([{ first: 100, children: [{ first: 50, children: [{ first: 60 }] }] }]);
    expect(ours).toEqual({ requests: 5101, nodes: 100 + 5000 + 300_000, cost: 51 });
    const doubles = graphqlQueryLimits(
      'query { viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }',
      {},
    );
    expect(doubles).toEqual(ours);
    expect(queryLimits([{ first: 10 }]).cost).toBe(1); // at least 1 point
  });

  it('our batch figures equal the double reading the batch query, for every size up to the default', () => {
    for (const n of [1, 2, 7, 30, DEFAULT_BATCH_SIZE, 100]) {
      const vars: Json = { owner: 'o', repo: 'r' };
      for (let i = 0; i < n; i++) vars[`n${i}`] = i + 1;
      expect(graphqlQueryLimits(batchQuery(n), vars)).toEqual(batchLimits(n));
    }
    expect(batchLimits(DEFAULT_BATCH_SIZE)).toEqual({ requests: 1400, nodes: 136_250, cost: 14 });
    // 100 threads a page would make a PR cost 1.04 points: a year of 1,000 PRs would not fit 1,000 points.
    expect(queryLimits(Array.from({ length: 50 }, () => [{ first: 100 }, { first: 100, children: [{ first: 100 }] }, { first: 100 }]).flat()).cost).toBe(52);
  });

  it('refuses a batch over GitHub’s 500,000-node limit', () => {
    expect(() => checkBatchSize(183)).not.toThrow();
    expect(() => checkBatchSize(184)).toThrow(/501,400|501400 nodes; GitHub allows 500000/);
    expect(() => checkBatchSize(0)).toThrow(/positive whole number/);
  });

  it('a per-PR query costs PR_QUERY_POINTS, first page and later pages alike', () => {
    for (const withPull of [true, false]) {
      for (const withReviews of [true, false]) {
        const vars = { owner: 'o', repo: 'r', number: 1, withPull, withReviews, withThreads: true };
        expect(graphqlQueryLimits(PR_REVIEW_QUERY, vars).cost).toBe(PR_QUERY_POINTS);
      }
    }
  });

  it('the double reports the same cost in rateLimit and refuses over-limit queries', async () => {
    const { octokit } = clientFor(double, { spacingMs: 0 });
    const pulls = await listed(busy.numbers.slice(0, 3));
    const batch = await readPrBatch(octokit, { owner: 'acme', repo: 'busy', pulls });
    expect(batch.cost).toBe(batchLimits(3).cost);
    expect(batch.remaining).toEqual(expect.any(Number));
    const vars: Json = { owner: 'acme', repo: 'busy' };
    for (let i = 0; i < 200; i++) vars[`n${i}`] = i + 1;
    await expect(octokit.graphql(batchQuery(200), vars)).rejects.toThrow(/exceeds the maximum limit of 500,000/);
  });
});

/** REST pull objects as listing gives them. */
async function listed(numbers: readonly number[], owner = 'acme', repo = 'busy'): Promise<BatchPull[]> {
  const { octokit } = clientFor(double, { spacingMs: 0 });
  return Promise.all(
    numbers.map(async (n) => ({ number: n, pull: (await octokit.rest.pulls.get({ owner, repo, pull_number: n })).data as unknown as Json })),
  );
}

describe('a batched read builds the same bundle as the per-PR read', () => {
  it('for real PRs (bots, Copilot, replies, ids above 2^31, conversation comments) and generated ones', async () => {
    const { octokit } = clientFor(double, { spacingMs: 0 });
    const cases: Array<{ owner: string; repo: string; numbers: number[] }> = [
      { owner: SEEDED.pr3484.owner, repo: SEEDED.pr3484.repo, numbers: [2965, 3484, 3415] },
      { owner: SEEDED.pr3325.owner, repo: SEEDED.pr3325.repo, numbers: [3325] },
      { owner: SEEDED.pr5049.owner, repo: SEEDED.pr5049.repo, numbers: [5049] },
      { owner: SEEDED.pr84.owner, repo: SEEDED.pr84.repo, numbers: [84] },
      { owner: 'acme', repo: 'busy', numbers: [1, 2, 8, 11] },
    ];
    let compared = 0;
    for (const c of cases) {
      const pulls = await listed(c.numbers, c.owner, c.repo);
      const batch = await readPrBatch(octokit, { owner: c.owner, repo: c.repo, pulls });
      expect(batch.failed).toEqual([]);
      for (const bundle of batch.bundles) {
        const p = pulls.find((x) => x.number === bundle.pull_request.number)!;
        const alone = await readPrBundle(octokit, { owner: c.owner, repo: c.repo, pull_number: p.number, pull: p.pull });
        expect(bundle).toEqual(alone.bundle);
        expect(JSON.stringify(bundle)).toBe(JSON.stringify(alone.bundle)); // same keys in the same order too
        compared++;
      }
      // 2965 (34 review threads) and 3484 have more than a page of 25, busy #8 has 30: left to the per-PR read.
      const paged = new Set([2965, 3484]);
      expect(batch.needPaging.map((p) => p.number).sort()).toEqual(c.numbers.filter((n) => (c.repo === 'busy' ? n === 8 : paged.has(n))));
    }
    expect(compared).toBe(7);
  });

  it('every batch query sent validates against GitHub’s schema', () => {
    const batches = [...new Set(graphqlSent.filter((q) => q.includes('MyceliumPrBatch')))];
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const q of batches) expect(validate(q).map((e) => e.message)).toEqual([]);
  });
});

describe('a busy repository’s year: 1,000 merged PRs, ~10 review comments each', () => {
  const opts = { owner: 'acme', repo: 'busy', since: SINCE, now: NOW };
  let full: BackfillResult;
  let fullStore: LessonsStore;

  it('is captured in one run, within the default budget', async () => {
    const { octokit } = clientFor(double, { spacingMs: 0 });
    fullStore = await LessonsStore.open(null, 'full');
    full = await backfillMergedPrs(octokit, fullStore, opts, quiet);
    expect(full.merged).toBe(1000);
    expect(full.captured).toHaveLength(1000);
    expect(full.failed).toEqual([]);
    expect(full.stoppedBy).toBeNull();
    expect(full.remaining).toBe(0);
    expect(fullStore.capturedPrNumbers('acme/busy').size).toBe(1000);
    // 10 list pages; 20 batches of 50 (14 points each); 10 big PRs read alone (1 point + 2 REST each).
    expect(full.usage).toEqual({ restRequests: 10 + 2 * 10, graphqlPoints: 20 * 14 + 10, graphqlQueries: 30, batches: 20, readAlone: 10 });
    expect(full.usage.restRequests).toBeLessThanOrEqual(DEFAULT_BACKFILL_BUDGET.restRequests);
    expect(full.usage.graphqlPoints).toBeLessThanOrEqual(DEFAULT_BACKFILL_BUDGET.graphqlPoints);
    // What the double charged, by its own reading of every query, is what the run counted.
    expect(charged(double.requests)).toEqual({ rest: full.usage.restRequests, points: full.usage.graphqlPoints, queries: 30 });
    expect(describeBackfill(full)).toMatch(/^1000 PRs merged in the window, 1000 captured now; spent 30 REST requests, 290 GraphQL points/);
  }, 120_000);

  it('a run cut off by its point budget, then one cut off by the clock, and a third finish the work (400 PRs)', async () => {
    const { octokit } = clientFor(double, { spacingMs: 0 });
    const opts = { owner: 'acme', repo: 'resume', since: SINCE, now: NOW };
    const store = await LessonsStore.open(null, 'resumed');
    // 50 points: three batches of 50 (42 points), a fourth shrunk to the 30 PRs 8 points pay for.
    const first = await backfillMergedPrs(octokit, store, { ...opts, budget: { graphqlPoints: 50 } }, quiet);
    expect(first.stoppedBy).toBe('graphql-budget');
    expect(first.usage.graphqlPoints).toBeLessThanOrEqual(50);
    expect(first.usage.batches).toBe(4);
    expect(first.captured.length + first.remaining).toBe(400);
    expect(first.remaining).toBe(400 - 180 + 2); // the two big PRs among the first 180 (#8, #108) wait too
    expect(describeBackfill(first, { ...DEFAULT_BACKFILL_BUDGET, graphqlPoints: 50 })).toMatch(
      /stopped at the GraphQL point budget \(50 points\): 222 PRs left, the next run resumes with them/,
    );
    // The newest PRs were taken first.
    expect(Math.min(...first.captured.map((c) => c.prNumber))).toBe(1);
    expect(Math.max(...first.captured.map((c) => c.prNumber))).toBe(180);

    // A clock that moves a minute a look, 3 minutes allowed: two batches, then it stops.
    let t = 0;
    const second = await backfillMergedPrs(octokit, store, { ...opts, clock: () => (t += 60_000), budget: { timeMs: 3 * 60_000 } }, quiet);
    expect(second.stoppedBy).toBe('time');
    expect(second.usage.batches).toBe(2);
    expect(second.captured.map((c) => c.prNumber).every((n) => n > 180)).toBe(true);

    const third = await backfillMergedPrs(octokit, store, opts, quiet);
    expect(third.stoppedBy).toBeNull();
    expect(third.remaining).toBe(0);
    expect(third.failed).toEqual([]);
    const all = [...first.captured, ...second.captured, ...third.captured].map((c) => c.prNumber);
    expect(new Set(all).size).toBe(400);
    expect(all).toHaveLength(400); // nothing captured twice
    expect([...store.capturedPrNumbers('acme/resume')].sort((a, b) => a - b)).toEqual(resume.numbers);
    expect(store.count()).toBeGreaterThan(0);

    // A fourth run finds nothing missing: one listing, no reads.
    double.resetLog();
    const fourth = await backfillMergedPrs(octokit, store, opts, quiet);
    expect(fourth.captured).toEqual([]);
    expect(charged(double.requests)).toEqual({ rest: 4, points: 0, queries: 0 });
    store.close();
    fullStore.close();
  }, 120_000);
});
