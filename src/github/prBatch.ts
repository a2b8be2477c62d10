/**
 * Reads the review discussion of many PRs in one GraphQL query (backfill, catch-up).
 *
 * One query asks `repository { pr0: pullRequest(number: $n0) {...} pr1: ... }` for a batch of PRs, each
 * with its reviews, review threads (each with its comments) and conversation comments, and
 * `rateLimit { cost remaining }` so the points it really cost come back with it. A PR whose every
 * connection fits in one page becomes its bundle here; a PR with more than one page of anything is
 * handed back to be read alone by readPrBundle (which pages everything). The bundle is the one
 * readPrBundle builds for the same PR (bundleShapes.ts; a test holds the two equal).
 *
 * Page sizes and cost (GitHub's formula, graphqlCost.ts): per PR, reviews 1 request + reviewThreads 1 +
 * one comments request per thread (`threads` of them) + conversation comments 1. Review threads are what
 * make a PR expensive, so their page is 25, not 100: at 100 a PR costs 1.04 points and a year of 1,000
 * PRs would not fit GITHUB_TOKEN's 1,000 points an hour; at 25 it costs 0.28 (a batch of 50: 14 points)
 * and the few PRs with more than 25 threads are read alone (1 point and 2 REST requests each).
 */
import { parsePrBundle, type PrBundle } from '../capture/bundle.js';
import {
  bundleThread,
  issueCommentFromGraphql,
  nonNull,
  restReview,
  reviewCommentFromGraphql,
  sortedById,
  type GqlIssueComment,
  type GqlReview,
  type GqlReviewComment,
  type GqlThread,
  type PageInfo,
} from './bundleShapes.js';
import { GitHubReadError } from './errors.js';
import { MAX_NODES_PER_CALL, queryLimits, type ConnectionPlan, type QueryLimits } from './graphqlCost.js';
import type { MyceliumOctokit } from './octokit.js';

/** Page sizes of one PR's connections in a batch. */
export const BATCH_PAGES = { reviews: 100, threads: 25, threadComments: 100, comments: 100 } as const;

/** PRs per query: 14 points and 136,250 nodes (limit 500,000); small enough to answer well inside GitHub's 10 s. */
export const DEFAULT_BATCH_SIZE = 50;

/** The connections one PR of a batch asks for. */
const PR_PLAN: readonly ConnectionPlan[] = [
  { first: BATCH_PAGES.reviews },
  { first: BATCH_PAGES.threads, children: [{ first: BATCH_PAGES.threadComments }] },
  { first: BATCH_PAGES.comments },
];

/** Cost and nodes of a batch query for `prs` PRs (each `pullRequest` alias is a field, not a connection). */
export function batchLimits(prs: number): QueryLimits {
  return queryLimits(Array.from({ length: prs }, () => PR_PLAN).flat());
}

/** Refuses batch sizes GitHub would refuse (node limit) or that cannot be read at all. */
export function checkBatchSize(prs: number): void {
  if (!Number.isSafeInteger(prs) || prs < 1) throw new Error(`batch size must be a positive whole number, not ${prs}`);
  const { nodes } = batchLimits(prs);
  if (nodes > MAX_NODES_PER_CALL) throw new Error(`a batch of ${prs} PRs asks for ${nodes} nodes; GitHub allows ${MAX_NODES_PER_CALL} per query`);
}

const ACTOR = `author { __typename login }`;

/** The batch query for `count` PRs, numbers in variables `$n0..`. */
export function batchQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$n${i}: Int!`).join(' ');
  const aliases = Array.from({ length: count }, (_, i) => `    pr${i}: pullRequest(number: $n${i}) { ...MyceliumBatchPull }`).join('\n');
  return `
query MyceliumPrBatch($owner: String! $repo: String! ${vars}) {
  rateLimit { cost remaining }
  repository(owner: $owner, name: $repo) {
${aliases}
  }
}

fragment MyceliumBatchPull on PullRequest {
  number
  reviews(first: ${BATCH_PAGES.reviews}) {
    pageInfo { hasNextPage endCursor }
    nodes { id fullDatabaseId ${ACTOR} authorAssociation body state url submittedAt commit { oid } }
  }
  reviewThreads(first: ${BATCH_PAGES.threads}) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id isResolved isOutdated resolvedBy { login } path line originalLine startLine diffSide subjectType
      comments(first: ${BATCH_PAGES.threadComments}) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { ...MyceliumBatchReviewComment }
      }
    }
  }
  comments(first: ${BATCH_PAGES.comments}) {
    pageInfo { hasNextPage endCursor }
    nodes { id fullDatabaseId ${ACTOR} authorAssociation body url createdAt updatedAt }
  }
}

fragment MyceliumBatchReviewComment on PullRequestReviewComment {
  id fullDatabaseId ${ACTOR} authorAssociation body url createdAt updatedAt
  path line originalLine startLine originalStartLine diffHunk outdated
  commit { oid } originalCommit { oid } pullRequestReview { fullDatabaseId } replyTo { fullDatabaseId }
}`;
}

interface Connection<T> {
  pageInfo: PageInfo;
  nodes: Array<T | null> | null;
}
interface BatchPullData {
  number: number;
  reviews: Connection<GqlReview>;
  reviewThreads: Connection<GqlThread<GqlReviewComment>>;
  comments: Connection<GqlIssueComment>;
}
interface BatchData {
  rateLimit?: { cost: number; remaining: number } | null;
  repository: Record<string, BatchPullData | null> | null;
}

/** What octokit.graphql throws when GitHub answered with `errors` (and maybe partial `data`). */
interface GraphqlErrorAnswer {
  name?: string;
  data?: BatchData;
  errors?: Array<{ message: string; path?: ReadonlyArray<string | number> }>;
}

export interface BatchPull {
  number: number;
  /** The REST pull object as listed (the bundle's `pull_request`, as readPrBundle's `pull`). */
  pull: Record<string, unknown>;
}

export interface BatchResult {
  /** Bundles of the PRs that fit in one page of everything, in the order asked. */
  bundles: PrBundle[];
  /** PRs with more than one page of something: read them alone (readPrBundle). */
  needPaging: BatchPull[];
  /** PRs GitHub could not answer for (e.g. deleted); the rest of the batch is kept. */
  failed: Array<{ pr: number; error: string }>;
  /** Points the query cost (GitHub's `rateLimit.cost`; the formula's figure if GitHub did not say). */
  cost: number;
  /** GraphQL points left this hour, when GitHub said. */
  remaining: number | null;
}

function morePages(p: BatchPullData): boolean {
  return (
    p.reviews.pageInfo.hasNextPage ||
    p.reviewThreads.pageInfo.hasNextPage ||
    p.comments.pageInfo.hasNextPage ||
    nonNull(p.reviewThreads.nodes).some((t) => t.comments.pageInfo.hasNextPage)
  );
}

/** One PR's batch answer as its bundle (the same bundle readPrBundle builds). */
function bundleOf(data: BatchPullData, pull: Record<string, unknown>, subject: string): PrBundle {
  const pullUrl = typeof pull.url === 'string' ? pull.url : undefined;
  const threads = nonNull(data.reviewThreads.nodes);
  const reviewComments = threads.flatMap((t) => t.comments.nodes.filter((c) => c !== null).map(reviewCommentFromGraphql));
  const raw = {
    pull_request: pull,
    reviews: nonNull(data.reviews.nodes).map((r) => restReview(r, pullUrl)),
    review_comments: sortedById(reviewComments),
    issue_comments: sortedById(nonNull(data.comments.nodes).map(issueCommentFromGraphql)),
    review_threads: threads.map((t) => bundleThread({ ...t, comments: { ...t.comments, nodes: nonNull(t.comments.nodes) } })),
  };
  return parsePrBundle(raw, `read from GitHub for ${subject}`);
}

/** Reads `pulls` of `owner/repo` in one query. Throws (one line) only when the whole query failed. */
export async function readPrBatch(
  octokit: MyceliumOctokit,
  opts: { owner: string; repo: string; pulls: readonly BatchPull[] },
): Promise<BatchResult> {
  const { owner, repo, pulls } = opts;
  checkBatchSize(pulls.length);
  const variables: Record<string, unknown> = { owner, repo };
  pulls.forEach((p, i) => (variables[`n${i}`] = p.number));
  const subject = `${pulls.length} PRs of ${owner}/${repo} (#${pulls[0]!.number}..#${pulls[pulls.length - 1]!.number})`;

  let data: BatchData;
  const errorsByAlias = new Map<string, string>();
  try {
    data = await octokit.graphql<BatchData>(batchQuery(pulls.length), variables);
  } catch (err) {
    // A PR that is gone fails its own alias only; GitHub still answers the others.
    const answer = err as GraphqlErrorAnswer;
    const partial = answer.name === 'GraphqlResponseError' ? answer.data : undefined;
    if (!partial?.repository) throw new GitHubReadError(err, { subject });
    for (const e of answer.errors ?? []) {
      const alias = e.path?.[1];
      if (typeof alias === 'string') errorsByAlias.set(alias, e.message);
    }
    data = partial;
  }

  const result: BatchResult = {
    bundles: [],
    needPaging: [],
    failed: [],
    cost: data.rateLimit?.cost ?? batchLimits(pulls.length).cost,
    remaining: data.rateLimit?.remaining ?? null,
  };
  pulls.forEach((p, i) => {
    const alias = `pr${i}`;
    const answer = data.repository?.[alias];
    const where = `${owner}/${repo}#${p.number}`;
    if (!answer) {
      result.failed.push({ pr: p.number, error: `GitHub GraphQL error reading PR ${where}: ${errorsByAlias.get(alias) ?? 'no answer'}` });
      return;
    }
    if (morePages(answer)) result.needPaging.push(p);
    else {
      try {
        result.bundles.push(bundleOf(answer, p.pull, `PR ${where}`));
      } catch (err) {
        result.failed.push({ pr: p.number, error: (err as Error).message });
      }
    }
  });
  return result;
}
