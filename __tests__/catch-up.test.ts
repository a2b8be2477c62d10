/** Catch-up over real HTTP: merged PRs in the window that the database lacks are captured, others are not. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catchUpMissingPrs } from '../src/ops/catchUp.js';
import { listMergedPullsSince } from '../src/github/mergedPulls.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { startGitHubDouble, type GitHubDouble } from './support/githubDouble.js';
import { clientFor } from './support/octokitForDouble.js';
import { checkSchema, responseSchema } from './support/openapiCheck.js';

const REPO = 'acme/catchup';
const quiet = { info: () => {}, warning: () => {} };

/** A trusted explicit lesson, so every captured PR stores one. */
function reviewComment(pr: number) {
  return {
    id: 7_000_000_000 + pr,
    node_id: `PRRC_${pr}`,
    user: { login: 'maintainer', id: 1, type: 'User' },
    body: `Lesson: Always pin third-party GitHub Actions to a full commit SHA (seen again in PR ${pr}).`,
    path: '.github/workflows/ci.yml',
    line: 4,
    created_at: '2026-11-01T09:00:00Z',
    updated_at: '2026-11-01T09:00:00Z',
    html_url: `https://github.com/${REPO}/pull/${pr}#discussion_r${7_000_000_000 + pr}`,
    author_association: 'MEMBER',
    pull_request_review_id: null,
    diff_hunk: '@@ -1 +1 @@',
    commit_id: 'a'.repeat(40),
    original_commit_id: 'a'.repeat(40),
  };
}

let double: GitHubDouble;
beforeAll(async () => {
  double = await startGitHubDouble();
  // 130 closed PRs (two pages at 100), updated one hour apart going back from 2026-11-20; every
  // fifth closed without merging.
  for (let i = 0; i < 130; i++) {
    const n = 1000 + i;
    const at = new Date(Date.parse('2026-11-20T00:00:00Z') - i * 3_600_000).toISOString();
    const merged = i % 5 !== 4;
    double.addPull(REPO, {
      number: n,
      merged,
      review_comments: [reviewComment(n)],
      pullOverrides: { merged_at: merged ? at : null, closed_at: at, updated_at: at },
    });
  }
});
afterAll(async () => {
  await double.close();
});

describe('catch-up', () => {
  it('lists PRs merged since a time, stopping once a page ends before it', async () => {
    const { octokit } = clientFor(double);
    double.resetLog();
    // 20 hours back: PRs i = 0..20 were updated in the window; i = 4, 9, 14, 19 were not merged.
    const merged = await listMergedPullsSince(octokit, { owner: 'acme', repo: 'catchup', since: '2026-11-19T04:00:00Z' });
    expect(merged.map((p) => p.number).sort()).toEqual(
      Array.from({ length: 21 }, (_, i) => i).filter((i) => i % 5 !== 4).map((i) => 1000 + i),
    );
    // The first page already ends before the window: the second page is never asked for.
    const lists = double.requests.filter((r) => r.route === 'GET /repos/{owner}/{repo}/pulls');
    expect(lists).toHaveLength(1);
    expect(checkSchema(responseSchema('get', '/repos/{owner}/{repo}/pulls'), merged.map((m) => m.pull))).toEqual([]);
  });

  it('captures exactly the merged PRs the database lacks, and a second pass captures none', async () => {
    const { octokit } = clientFor(double);
    const store = await LessonsStore.open(null, 'test db');
    // PR 1001 is already in the database: catch-up must not read it again.
    store.recordCapture({ project: REPO, prNumber: 1001, mergedAt: null, capturedAt: '2026-11-19T23:00:00Z', lessons: [] });
    double.resetLog();
    const first = await catchUpMissingPrs(
      octokit,
      store,
      { owner: 'acme', repo: 'catchup', since: '2026-11-19T20:00:00Z', now: '2026-11-20T01:00:00Z' },
      quiet,
    );
    // Window: i = 0..4 updated; 1004 was closed unmerged.
    expect(first.merged).toBe(4);
    expect(first.captured.map((c) => c.prNumber)).toEqual([1000, 1002, 1003]);
    expect(first.failed).toEqual([]);
    expect(double.requests.filter((r) => r.graphql && JSON.stringify(r.graphql.variables ?? {}).includes('1001'))).toEqual([]);
    expect([...store.capturedPrNumbers(REPO)].sort()).toEqual([1000, 1001, 1002, 1003]);
    expect(store.count()).toBe(3);

    double.resetLog();
    const second = await catchUpMissingPrs(
      octokit,
      store,
      { owner: 'acme', repo: 'catchup', since: '2026-11-19T20:00:00Z', now: '2026-11-20T02:00:00Z' },
      quiet,
    );
    expect(second.captured).toEqual([]);
    expect(double.requests.filter((r) => r.route !== 'GET /repos/{owner}/{repo}/pulls')).toEqual([]);
    store.close();
  });

  it('takes at most maxPrs PRs a run, the ones merged last, in PR order, and says which it left', async () => {
    const { octokit } = clientFor(double);
    const store = await LessonsStore.open(null, 'test db');
    const warnings: string[] = [];
    // Window: i = 0..10 updated, 1004 and 1009 unmerged → 9 missing.
    const result = await catchUpMissingPrs(
      octokit,
      store,
      { owner: 'acme', repo: 'catchup', since: '2026-11-19T13:30:00Z', now: '2026-11-20T01:00:00Z', maxPrs: 4 },
      { info: () => {}, warning: (m) => warnings.push(m) },
    );
    expect(result.merged).toBe(9);
    // Merged last: i = 0, 1, 2, 3 (PR numbers grow as merge times go back in this fixture).
    expect(result.captured.map((c) => c.prNumber)).toEqual([1000, 1001, 1002, 1003]);
    expect(result.leftOut).toBe(5);
    expect(warnings).toEqual([
      'catch-up: 9 merged PRs are missing from the database; capturing the 4 merged last this run and leaving 5 (#1005, #1006, #1007, #1008, #1010); raise catch-up-max-prs to take more',
    ]);
    // The next run takes the rest.
    const next = await catchUpMissingPrs(
      octokit,
      store,
      { owner: 'acme', repo: 'catchup', since: '2026-11-19T13:30:00Z', now: '2026-11-20T02:00:00Z', maxPrs: 100 },
      quiet,
    );
    expect(next.captured.map((c) => c.prNumber)).toEqual([1005, 1006, 1007, 1008, 1010]);
    expect(next.leftOut).toBe(0);
    store.close();
  });

  it('PRs whose batched read failed are reported and left for the next run, which captures them', async () => {
    const { octokit } = clientFor(double, { serverErrorRetries: 0 });
    const store = await LessonsStore.open(null, 'test db');
    const opts = { owner: 'acme', repo: 'catchup', since: '2026-11-19T22:30:00Z', now: '2026-11-20T01:00:00Z' };
    double.fault('POST /graphql', { kind: 'not-found' }, 1);
    const result = await catchUpMissingPrs(octokit, store, opts, quiet);
    // One query read both PRs: both failed, nothing was stored.
    expect(result.failed.map((f) => f.pr).sort()).toEqual([1000, 1001]);
    expect(result.failed[0]!.error).toMatch(/not found or token lacks access/);
    expect(result.captured).toEqual([]);
    expect(store.capturedPrNumbers(REPO).size).toBe(0);
    const again = await catchUpMissingPrs(octokit, store, opts, quiet);
    expect(again.failed).toEqual([]);
    expect([...store.capturedPrNumbers(REPO)].sort()).toEqual([1000, 1001]);
    store.close();
  });
});
