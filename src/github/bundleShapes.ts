/**
 * The shapes a PR bundle's parts take when read from GitHub, whichever API they came from.
 *
 * A PR is read two ways (docs/architecture.md, "The PR bundle": one code path for online and offline capture): one PR at a time
 * (readPullRequest.ts: review and conversation comments from REST) and many PRs per GraphQL query
 * (prBatch.ts: everything from GraphQL). Both must build the same bundle, so comments are kept in one
 * canonical REST shape: the fields capture reads, named and typed as REST names them, from REST objects
 * as they come and from GraphQL objects field by field. REST-only decoration (`_links`, `reactions`, the
 * full user object, API urls) is not kept: GraphQL cannot reproduce it and nothing reads it.
 *
 * Ids: GraphQL `databaseId` is an Int and cannot hold ids above 2^31; we read `fullDatabaseId` (a BigInt
 * sent as a string) and turn it into a number, which is exact up to 2^53.
 */

export interface GqlActor {
  __typename: string;
  login: string;
}
export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface GqlThreadComment {
  id: string;
  fullDatabaseId: string | number | null;
  author: GqlActor | null;
  body: string;
  url: string;
  createdAt: string;
  path: string;
  line: number | null;
  originalLine: number | null;
  outdated: boolean;
  replyTo: { fullDatabaseId: string | number | null } | null;
}
/** A review comment with every field the canonical REST shape needs (batched reads). */
export interface GqlReviewComment extends GqlThreadComment {
  authorAssociation: string;
  updatedAt: string | null;
  startLine: number | null;
  originalStartLine: number | null;
  diffHunk: string | null;
  commit: { oid: string } | null;
  originalCommit: { oid: string } | null;
  pullRequestReview: { fullDatabaseId: string | number | null } | null;
}
export interface GqlIssueComment {
  id: string;
  fullDatabaseId: string | number | null;
  author: GqlActor | null;
  authorAssociation: string;
  body: string;
  url: string;
  createdAt: string;
  updatedAt: string | null;
}
export interface GqlReview {
  id: string;
  fullDatabaseId: string | number | null;
  author: GqlActor | null;
  authorAssociation: string;
  body: string;
  state: string;
  url: string;
  submittedAt: string | null;
  commit: { oid: string } | null;
}
export interface GqlThread<C extends GqlThreadComment = GqlThreadComment> {
  id: string;
  isResolved: boolean;
  isOutdated: boolean;
  resolvedBy: { login: string } | null;
  path: string;
  line: number | null;
  originalLine: number | null;
  startLine: number | null;
  diffSide: string;
  subjectType: string;
  comments: { totalCount: number; pageInfo: PageInfo; nodes: C[] };
}

type Obj = Record<string, unknown>;

/** GraphQL `fullDatabaseId` (BigInt, sent as a string) → the REST id number. */
export function toRestId(value: string | number | null | undefined, what: string): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`GitHub sent ${what} id ${String(value)}, which is not an exact integer`);
  return n;
}

/**
 * A GraphQL actor as REST shows it on reviews and pulls: REST names GitHub App bots `<slug>[bot]`, GraphQL
 * names them `<slug>` (e.g. `coderabbitai` → `coderabbitai[bot]`, `copilot-pull-request-reviewer` →
 * `copilot-pull-request-reviewer[bot]`). `type` is the GraphQL type name (`User`, `Bot`, `Mannequin`, ...).
 */
export function restUserFromActor(actor: GqlActor | null | undefined): { login: string; type: string } | null {
  if (!actor) return null;
  const login = actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
  return { login, type: actor.__typename };
}

/**
 * A GraphQL actor as REST shows it on comments: as on reviews, except GitHub's Copilot reviewer, whose
 * comments REST signs `Copilot` (type Bot, no suffix) while its reviews say `copilot-pull-request-reviewer[bot]`.
 */
export function restCommentUserFromActor(actor: GqlActor | null | undefined): { login: string; type: string } | null {
  if (actor?.__typename === 'Bot' && actor.login === 'copilot-pull-request-reviewer') return { login: 'Copilot', type: 'Bot' };
  return restUserFromActor(actor);
}

function canonicalUser(user: unknown): Obj | null {
  if (!user || typeof user !== 'object') return null;
  const u = user as Obj;
  return { login: u.login, ...(u.type !== undefined ? { type: u.type } : {}) };
}

/** `{ [key]: value }` when value is a value, `{}` for null/undefined (fields REST's schema makes optional). */
function optional(key: string, value: unknown): Obj {
  return value === null || value === undefined ? {} : { [key]: value };
}

const byId = (a: Obj, b: Obj): number => Number(a.id) - Number(b.id);

/** A REST inline review comment in the canonical shape. */
export function canonicalReviewComment(c: Obj): Obj {
  return {
    id: c.id,
    node_id: c.node_id,
    pull_request_review_id: c.pull_request_review_id ?? null,
    ...optional('in_reply_to_id', c.in_reply_to_id), // present only on replies, as in REST
    user: canonicalUser(c.user),
    body: c.body ?? '',
    path: c.path ?? '',
    line: c.line ?? null,
    original_line: c.original_line ?? null,
    start_line: c.start_line ?? null,
    original_start_line: c.original_start_line ?? null,
    ...optional('diff_hunk', c.diff_hunk),
    ...optional('commit_id', c.commit_id),
    ...optional('original_commit_id', c.original_commit_id),
    created_at: c.created_at,
    ...optional('updated_at', c.updated_at),
    html_url: c.html_url ?? '',
    author_association: c.author_association ?? 'NONE',
  };
}

/** A GraphQL review comment in the same canonical REST shape. */
export function reviewCommentFromGraphql(c: GqlReviewComment): Obj {
  return canonicalReviewComment({
    id: toRestId(c.fullDatabaseId, 'review comment'),
    node_id: c.id,
    pull_request_review_id: toRestId(c.pullRequestReview?.fullDatabaseId, 'review'),
    in_reply_to_id: toRestId(c.replyTo?.fullDatabaseId, 'review comment'),
    user: restCommentUserFromActor(c.author),
    body: c.body,
    path: c.path,
    line: c.line,
    original_line: c.originalLine,
    start_line: c.startLine,
    original_start_line: c.originalStartLine,
    diff_hunk: c.diffHunk,
    commit_id: c.commit?.oid,
    original_commit_id: c.originalCommit?.oid,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: c.url,
    author_association: c.authorAssociation,
  });
}

/** A REST conversation (issue) comment in the canonical shape. */
export function canonicalIssueComment(c: Obj): Obj {
  return {
    id: c.id,
    node_id: c.node_id,
    user: canonicalUser(c.user),
    body: c.body ?? '',
    created_at: c.created_at,
    ...optional('updated_at', c.updated_at),
    html_url: c.html_url ?? '',
    author_association: c.author_association ?? 'NONE',
  };
}

/** A GraphQL `IssueComment` in the same canonical REST shape. */
export function issueCommentFromGraphql(c: GqlIssueComment): Obj {
  return canonicalIssueComment({
    id: toRestId(c.fullDatabaseId, 'issue comment'),
    node_id: c.id,
    user: restCommentUserFromActor(c.author),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: c.url,
    author_association: c.authorAssociation,
  });
}

/** REST lists come oldest (lowest id) first; both readers sort so the order never depends on the API. */
export function sortedById<T extends Obj>(items: readonly T[]): T[] {
  return [...items].sort(byId);
}

export function restReview(r: GqlReview, pullUrl: string | undefined): Obj {
  return {
    id: toRestId(r.fullDatabaseId, 'review'),
    node_id: r.id,
    user: restUserFromActor(r.author),
    body: r.body,
    state: r.state,
    html_url: r.url,
    ...(pullUrl ? { pull_request_url: pullUrl } : {}),
    author_association: r.authorAssociation,
    submitted_at: r.submittedAt,
    commit_id: r.commit?.oid ?? null,
  };
}

function threadComment(c: GqlThreadComment): Obj {
  return {
    id: toRestId(c.fullDatabaseId, 'review comment'),
    node_id: c.id,
    author: c.author?.login ?? null,
    author_type: c.author?.__typename ?? null,
    body: c.body,
    path: c.path,
    line: c.line,
    original_line: c.originalLine,
    outdated: c.outdated,
    in_reply_to_id: toRestId(c.replyTo?.fullDatabaseId, 'review comment'),
    created_at: c.createdAt,
    url: c.url,
  };
}

/** A review thread as the bundle's `review_threads` holds it. */
export function bundleThread(t: GqlThread): Obj {
  return {
    id: t.id,
    is_resolved: t.isResolved,
    is_outdated: t.isOutdated,
    resolved_by: t.resolvedBy?.login ?? null,
    path: t.path,
    line: t.line,
    original_line: t.originalLine,
    start_line: t.startLine,
    diff_side: t.diffSide,
    subject_type: t.subjectType,
    comments: t.comments.nodes.map(threadComment),
  };
}

export function nonNull<T>(items: Array<T | null> | null | undefined): T[] {
  return (items ?? []).filter((x): x is T => x !== null);
}
