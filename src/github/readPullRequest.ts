/**
 * Reads one pull request's whole review discussion from GitHub into a PR bundle (docs/architecture.md, "The PR bundle").
 *
 * Calls, all paginated with 100 per page:
 * - GraphQL `MyceliumPrReview`: the PR itself (skipped when the event's pull object is given), its
 *   reviews and its review threads (resolved/outdated state, each with up to 100 comments) in one
 *   query. Further pages of reviews and of threads are fetched together by the same query, each
 *   connection `@include`d only while it still has a next page.
 * - GraphQL `MyceliumThreadComments`: only for a thread with more than 100 comments, its next pages.
 * - REST `GET /repos/{o}/{r}/pulls/{n}/comments` (inline review comments) through `octokit.paginate`.
 * - REST `GET /repos/{o}/{r}/issues/{n}/comments` (conversation comments) through `octokit.paginate`.
 * Review comments and issue comments come from REST (REST bot logins carry `[bot]`, GraphQL's do not),
 * kept in the canonical REST shape of bundleShapes.ts so a batched read (prBatch.ts) of the same PR
 * builds the same bundle. The GraphQL chain and both REST lists run concurrently.
 *
 * Request count (automatic retries not counted):
 *
 *   G + max(1, ⌈rc/100⌉) + max(1, ⌈ic/100⌉)
 *   G = max(1, ⌈reviews/100⌉, ⌈threads/100⌉) + Σ over threads with c > 100 comments of ⌈c/100⌉ − 1
 *
 * where rc = inline review comments and ic = conversation comments. With at most 100 reviews, at
 * most 100 threads and no thread over 100 comments, G = 1 and the total is at most
 * ⌈(rc + ic)/100⌉ + 3 (⌈a/100⌉ + ⌈b/100⌉ ≤ ⌈(a+b)/100⌉ + 1). Passing `pull` does not change the
 * count: the PR's fields ride along in the first GraphQL query when it is not given.
 *
 * Ids: GraphQL `databaseId` is an Int and cannot hold ids above 2^31; we read `fullDatabaseId`
 * (a BigInt sent as a string) and turn it into a number, which is exact up to 2^53.
 */
import { parsePrBundle, type PrBundle } from '../capture/bundle.js';
import {
  bundleThread,
  canonicalIssueComment,
  canonicalReviewComment,
  nonNull,
  restReview,
  restUserFromActor,
  sortedById,
  toRestId,
  type GqlActor,
  type GqlReview,
  type GqlThread,
  type GqlThreadComment,
  type PageInfo,
} from './bundleShapes.js';
import { GitHubReadError } from './errors.js';
import type { MyceliumOctokit } from './octokit.js';

export interface ReadPrOptions {
  owner: string;
  repo: string;
  pull_number: number;
  /** The pull object from the event payload (REST shape); saves asking GitHub for the PR's fields. */
  pull?: Record<string, unknown>;
}

export interface ReadPrResult {
  bundle: PrBundle;
  /** API requests made (pages fetched), not counting automatic retries. */
  requests: number;
  /** Of those, GraphQL queries (each costs 1 point: see {@link PR_QUERY_POINTS}). */
  graphqlRequests: number;
}

export { restUserFromActor, toRestId } from './bundleShapes.js';

const PAGE = 100;

const ACTOR = `author { __typename login }`;
const THREAD_COMMENT_FIELDS = `
fragment MyceliumThreadComment on PullRequestReviewComment {
  id
  fullDatabaseId
  ${ACTOR}
  body
  url
  createdAt
  path
  line
  originalLine
  outdated
  replyTo { fullDatabaseId }
}`;

/** The main query: PR fields, reviews and review threads, each part switched on by a variable. */
export const PR_REVIEW_QUERY = `
query MyceliumPrReview(
  $owner: String!
  $repo: String!
  $number: Int!
  $withPull: Boolean!
  $withReviews: Boolean!
  $reviewsAfter: String
  $withThreads: Boolean!
  $threadsAfter: String
) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      number
      ...MyceliumPull @include(if: $withPull)
      reviews(first: ${PAGE}, after: $reviewsAfter) @include(if: $withReviews) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          fullDatabaseId
          ${ACTOR}
          authorAssociation
          body
          state
          url
          submittedAt
          commit { oid }
        }
      }
      reviewThreads(first: ${PAGE}, after: $threadsAfter) @include(if: $withThreads) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          isOutdated
          resolvedBy { login }
          path
          line
          originalLine
          startLine
          diffSide
          subjectType
          comments(first: ${PAGE}) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes { ...MyceliumThreadComment }
          }
        }
      }
    }
  }
}

fragment MyceliumPull on PullRequest {
  id
  fullDatabaseId
  url
  title
  body
  state
  isDraft
  merged
  mergedAt
  closedAt
  createdAt
  updatedAt
  ${ACTOR}
  authorAssociation
  baseRefName
  baseRefOid
  headRefName
  headRefOid
  mergeCommit { oid }
  baseRepository { nameWithOwner }
  labels(first: 100) { nodes { name } }
}
${THREAD_COMMENT_FIELDS}`;

/** Next pages of one thread's comments (only for threads with more than 100 comments). */
export const THREAD_COMMENTS_QUERY = `
query MyceliumThreadComments($id: ID!, $after: String) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: ${PAGE}, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...MyceliumThreadComment }
      }
    }
  }
}
${THREAD_COMMENT_FIELDS}`;

/**
 * Points one query of this module costs by GitHub's formula (bundleShapes/graphqlCost): reviews 1 +
 * reviewThreads 1 + 100 thread comment lists + labels 1 → 103 requests → 1 point; the thread-comments
 * query needs 1 request → 1 point. Tests check this against the double's own count.
 */
export const PR_QUERY_POINTS = 1;

/** Every GraphQL document this module sends (tests validate them against GitHub's schema). */
export const GRAPHQL_DOCUMENTS = [PR_REVIEW_QUERY, THREAD_COMMENTS_QUERY] as const;

// ---- GraphQL response shapes (only what we select; shared ones in bundleShapes.ts) ----

interface GqlPull {
  number: number;
  id?: string;
  fullDatabaseId?: string | number | null;
  url?: string;
  title?: string;
  body?: string;
  state?: string;
  isDraft?: boolean;
  merged?: boolean;
  mergedAt?: string | null;
  closedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
  author?: GqlActor | null;
  authorAssociation?: string;
  baseRefName?: string;
  baseRefOid?: string;
  headRefName?: string;
  headRefOid?: string;
  mergeCommit?: { oid: string } | null;
  baseRepository?: { nameWithOwner: string } | null;
  labels?: { nodes: Array<{ name: string } | null> | null } | null;
  reviews?: { pageInfo: PageInfo; nodes: Array<GqlReview | null> | null };
  reviewThreads?: { pageInfo: PageInfo; nodes: Array<GqlThread | null> | null };
}
interface PrReviewData {
  repository: { pullRequest: GqlPull | null } | null;
}
interface ThreadCommentsData {
  node: { comments?: { pageInfo: PageInfo; nodes: Array<GqlThreadComment | null> | null } } | null;
}

// ---- normalisation to the bundle's REST shapes ----

function restPullFromGraphql(p: GqlPull, owner: string, repo: string): Record<string, unknown> {
  const state = p.state === 'OPEN' ? 'open' : 'closed';
  const fullName = p.baseRepository?.nameWithOwner ?? `${owner}/${repo}`;
  return {
    id: toRestId(p.fullDatabaseId, 'pull request'),
    node_id: p.id,
    number: p.number,
    html_url: p.url,
    title: p.title ?? '',
    body: p.body ?? null,
    state,
    draft: p.isDraft ?? false,
    merged: p.merged ?? false,
    merged_at: p.mergedAt ?? null,
    closed_at: p.closedAt ?? null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    user: restUserFromActor(p.author),
    author_association: p.authorAssociation,
    labels: (p.labels?.nodes ?? []).filter((l): l is { name: string } => l !== null).map((l) => ({ name: l.name })),
    merge_commit_sha: p.mergeCommit?.oid ?? null,
    base: { ref: p.baseRefName, sha: p.baseRefOid, repo: { full_name: fullName } },
    head: { ref: p.headRefName, sha: p.headRefOid },
  };
}

/** Reads PR `owner/repo#pull_number` into a bundle that `parsePrBundle` accepts. Errors are one line. */
export async function readPrBundle(octokit: MyceliumOctokit, options: ReadPrOptions): Promise<ReadPrResult> {
  const { owner, repo, pull_number, pull } = options;
  const subject = `PR ${owner}/${repo}#${pull_number}`;
  if (!Number.isSafeInteger(pull_number) || pull_number <= 0) throw new Error(`${subject}: the PR number must be a positive integer`);
  if (pull && pull.number !== pull_number) {
    throw new Error(`${subject}: the given pull object is PR #${String(pull.number)}, not #${pull_number}`);
  }
  let requests = 0;
  let graphqlRequests = 0;

  const readGraphql = async () => {
    let pullFields: GqlPull | undefined;
    const reviews: GqlReview[] = [];
    const threads: GqlThread[] = [];
    let reviewsAfter: string | null = null;
    let threadsAfter: string | null = null;
    let withReviews = true;
    let withThreads = true;
    let first = true;
    while (first || withReviews || withThreads) {
      requests++;
      graphqlRequests++;
      const data: PrReviewData = await octokit.graphql<PrReviewData>(PR_REVIEW_QUERY, {
        owner,
        repo,
        number: pull_number,
        withPull: first && !pull,
        withReviews,
        reviewsAfter,
        withThreads,
        threadsAfter,
      });
      const pr = data.repository?.pullRequest;
      // GitHub answers a missing PR with a NOT_FOUND error (thrown by octokit.graphql); this is a fallback.
      if (!pr) throw Object.assign(new Error('Not Found'), { status: 404 });
      if (first) pullFields = pr;
      first = false;
      if (withReviews) {
        if (!pr.reviews) throw new Error('GitHub GraphQL answer lacks reviews');
        reviews.push(...nonNull(pr.reviews.nodes));
        withReviews = pr.reviews.pageInfo.hasNextPage;
        reviewsAfter = pr.reviews.pageInfo.endCursor;
      }
      if (withThreads) {
        if (!pr.reviewThreads) throw new Error('GitHub GraphQL answer lacks reviewThreads');
        threads.push(...nonNull(pr.reviewThreads.nodes));
        withThreads = pr.reviewThreads.pageInfo.hasNextPage;
        threadsAfter = pr.reviewThreads.pageInfo.endCursor;
      }
    }
    // Threads longer than one page of comments: follow their own cursors.
    for (const thread of threads) {
      let page = thread.comments.pageInfo;
      while (page.hasNextPage) {
        requests++;
        graphqlRequests++;
        const data: ThreadCommentsData = await octokit.graphql<ThreadCommentsData>(THREAD_COMMENTS_QUERY, {
          id: thread.id,
          after: page.endCursor,
        });
        const more = data.node?.comments;
        if (!more) throw new Error(`GitHub GraphQL answer lacks the comments of review thread ${thread.id}`);
        thread.comments.nodes.push(...nonNull(more.nodes));
        page = more.pageInfo;
      }
    }
    return { pullFields, reviews, threads };
  };

  const countPages = <T>(response: { data: T[] }): T[] => {
    requests++;
    return response.data;
  };
  const readReviewComments = () =>
    octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number, per_page: PAGE }, countPages);
  const readIssueComments = () =>
    octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pull_number, per_page: PAGE }, countPages);

  const [gql, reviewComments, issueComments] = await Promise.allSettled([readGraphql(), readReviewComments(), readIssueComments()]);
  // Report the first failure in a fixed order, so the message does not depend on timing.
  for (const r of [gql, reviewComments, issueComments]) {
    if (r.status === 'rejected') throw new GitHubReadError(r.reason, { subject });
  }
  if (gql.status !== 'fulfilled' || reviewComments.status !== 'fulfilled' || issueComments.status !== 'fulfilled') {
    throw new Error('unreachable');
  }

  const { pullFields, reviews, threads } = gql.value;
  const pullRequest = pull ?? restPullFromGraphql(pullFields!, owner, repo);
  const pullUrl = typeof pullRequest.url === 'string' ? pullRequest.url : undefined;

  const raw = {
    pull_request: pullRequest,
    reviews: reviews.map((r) => restReview(r, pullUrl)),
    review_comments: sortedById(reviewComments.value as unknown as Array<Record<string, unknown>>).map(canonicalReviewComment),
    issue_comments: sortedById(issueComments.value as unknown as Array<Record<string, unknown>>).map(canonicalIssueComment),
    review_threads: threads.map(bundleThread),
  };
  return { bundle: parsePrBundle(raw, `read from GitHub for ${subject}`), requests, graphqlRequests };
}
