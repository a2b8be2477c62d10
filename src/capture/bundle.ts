/**
 * The PR bundle (docs/architecture.md, "The PR bundle"): one PR's review data in the shapes GitHub's REST API returns, plus optional
 * review-thread state from GraphQL. Capture from GitHub builds this same object, so online and offline
 * capture share one code path and a bundle can be saved for replay.
 *
 * Schemas are loose (GitHub sends far more fields than we read, and adds new ones); they insist only on
 * what capture uses, and name the place when that is missing or of the wrong type.
 */
import { z } from 'zod';
import { describeZodError } from '../core/zodError.js';

export const GitHubUserSchema = z.looseObject({
  login: z.string(),
  type: z.string().optional(), // "User" | "Bot" | "Organization"; absent in GraphQL-derived data
});
export type GitHubUser = z.infer<typeof GitHubUserSchema>;

const Label = z.looseObject({ name: z.string() });

export const PullRequestSchema = z.looseObject({
  number: z.number().int().positive(),
  html_url: z.string(),
  title: z.string().default(''),
  user: GitHubUserSchema.nullable().default(null),
  merged_at: z.string().nullable().default(null),
  merged: z.boolean().optional(),
  state: z.string().optional(),
  labels: z.array(Label).default([]),
  base: z.looseObject({
    repo: z.looseObject({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/repo') }),
  }),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

export const ReviewSchema = z.looseObject({
  id: z.number(),
  user: GitHubUserSchema.nullable().default(null), // null for deleted accounts ("ghost")
  body: z.string().nullable().default(''),
  state: z.string().default('COMMENTED'),
  html_url: z.string().default(''),
  submitted_at: z.string().nullable().optional(),
  author_association: z.string().default('NONE'),
});
export type Review = z.infer<typeof ReviewSchema>;

export const ReviewCommentSchema = z.looseObject({
  id: z.number(),
  node_id: z.string().optional(),
  pull_request_review_id: z.number().nullable().optional(),
  in_reply_to_id: z.number().optional(), // present only on replies
  user: GitHubUserSchema.nullable().default(null),
  body: z.string().default(''),
  path: z.string().default(''),
  line: z.number().nullable().optional(), // null when outdated
  original_line: z.number().nullable().optional(),
  diff_hunk: z.string().optional(),
  commit_id: z.string().optional(),
  original_commit_id: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string().optional(),
  html_url: z.string().default(''),
  author_association: z.string().default('NONE'),
});
export type ReviewComment = z.infer<typeof ReviewCommentSchema>;

export const IssueCommentSchema = z.looseObject({
  id: z.number(),
  node_id: z.string().optional(),
  user: GitHubUserSchema.nullable().default(null),
  body: z.string().default(''),
  created_at: z.string(),
  html_url: z.string().default(''),
  author_association: z.string().default('NONE'),
  performed_via_github_app: z.unknown().optional(),
});
export type IssueComment = z.infer<typeof IssueCommentSchema>;

/** One comment of a review thread as GraphQL shows it (bot logins come without the `[bot]` suffix). */
export const ThreadCommentSchema = z.looseObject({
  /** REST id (GraphQL `fullDatabaseId`); links the thread to `review_comments`. */
  id: z.number().nullable().optional(),
  node_id: z.string().nullable().optional(),
  author: z.string().nullable().optional(),
  /** GraphQL `authorAssociation`, upper-case like REST's `author_association`; without it the author is not trusted. */
  author_association: z.string().nullable().optional(),
  body: z.string().optional(),
  path: z.string().nullable().optional(),
  line: z.number().nullable().optional(),
  created_at: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
});
export type ThreadComment = z.infer<typeof ThreadCommentSchema>;

export const ReviewThreadSchema = z.looseObject({
  id: z.string(),
  is_resolved: z.boolean(),
  is_outdated: z.boolean().nullable().optional(),
  resolved_by: z.string().nullable().optional(),
  path: z.string().nullable().optional(),
  line: z.number().nullable().optional(),
  comments: z.array(ThreadCommentSchema).default([]),
});
export type ReviewThread = z.infer<typeof ReviewThreadSchema>;

export const PrBundleSchema = z.looseObject({
  pull_request: PullRequestSchema,
  reviews: z.array(ReviewSchema).default([]),
  review_comments: z.array(ReviewCommentSchema).default([]),
  issue_comments: z.array(IssueCommentSchema).default([]),
  review_threads: z.array(ReviewThreadSchema).optional(),
});
export type PrBundle = z.infer<typeof PrBundleSchema>;

/** Validates a bundle; the error names the bundle and the path inside it (e.g. `review_comments.3.id`). */
export function parsePrBundle(value: unknown, where: string): PrBundle {
  const parsed = PrBundleSchema.safeParse(value);
  if (!parsed.success) throw new Error(describeZodError(parsed.error, `PR bundle ${where}`));
  return parsed.data;
}

export function bundleRepository(bundle: PrBundle): string {
  return bundle.pull_request.base.repo.full_name;
}
