/**
 * Real review payloads (see the data README) and seeds for the GitHub double.
 *
 * The data folder: see ./dataDir.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_DATA_DIR } from './dataDir.js';
import { restUser, type GitHubDouble, type Json } from './githubDouble.js';

export const DATA_DIR = REAL_DATA_DIR;

export function readData<T = Json[]>(relative: string): T {
  return JSON.parse(readFileSync(join(DATA_DIR, relative), 'utf8')) as T;
}

export const realData = {
  /** 84 REST review comments (34 roots, 50 replies), bots incl. `Copilot` + a member. */
  reviewComments2965: () => readData('github-review-comments/jleechanorg_worldarchitect.ai-pr2965.json'),
  /** 27 bot-only REST review comments. */
  reviewComments3484: () => readData('github-review-comments/jleechanorg_worldarchitect.ai-pr3484.json'),
  /** 18 human REST review comments. */
  reviewComments3325: () => readData('github-review-comments/GoogleCloudPlatform_DataflowTemplates-pr3325.json'),
  /** 27 REST reviews of parcadei/Continuous-Claude-v3#84. */
  reviews84: () => readData('github-reviews/origin-pr-84.json'),
  /** 3 REST issue comments (k8s-ci-robot is type User). */
  issueComments5049: () => readData('github-issue-comments/kubernetes-sigs_headlamp-pr5049.json'),
  /** 3 REST issue comments (bots + a member's automation post). */
  issueComments3415: () => readData('github-issue-comments/jleechanorg_worldarchitect.ai-pr3415.json'),
};

/**
 * The author of a review as REST shows it: GitHub's Copilot reviewer comments as `Copilot` but
 * submits reviews as `copilot-pull-request-reviewer[bot]` (see the github-reviews data).
 */
function reviewUser(user: Json | null): Json | null {
  if (!user || user.login !== 'Copilot') return user;
  return restUser('copilot-pull-request-reviewer[bot]', { type: 'Bot', id: 175728472, node_id: 'BOT_kgDOCnlnWA' });
}

/** REST review objects for the `pull_request_review_id`s the comments name (GitHub always has them). */
export function reviewsForComments(comments: Json[], fullName: string, number: number): Json[] {
  const byReview = new Map<number, Json[]>();
  for (const c of comments) {
    const id = Number(c.pull_request_review_id);
    byReview.set(id, [...(byReview.get(id) ?? []), c]);
  }
  return [...byReview.entries()].map(([id, cs]) => {
    const first = cs.reduce((a, b) => (a.created_at <= b.created_at ? a : b));
    const html = `https://github.com/${fullName}/pull/${number}#pullrequestreview-${id}`;
    const api = `https://api.github.com/repos/${fullName}/pulls/${number}`;
    return {
      id,
      node_id: `PRR_${Buffer.from(String(id)).toString('base64url')}`,
      user: reviewUser(first.user),
      body: '',
      state: 'COMMENTED',
      html_url: html,
      pull_request_url: api,
      author_association: first.author_association,
      _links: { html: { href: html }, pull_request: { href: api } },
      submitted_at: first.created_at,
      commit_id: first.commit_id,
    };
  });
}

export interface ManyCommentsOptions {
  fullName: string;
  number: number;
  count: number;
  /** Comments are dealt round-robin into this many threads; the first of each is the root. */
  threads: number;
  firstId?: number;
}

/**
 * `count` review comments made from the real pr2965 comments (bodies, users, hunks), with fresh ids
 * above 2^31 and URLs of the target PR, grouped into `threads` threads.
 */
export function manyReviewComments(o: ManyCommentsOptions): Json[] {
  const source = realData.reviewComments2965();
  const firstId = o.firstId ?? 3_100_000_000;
  const rootIds: number[] = [];
  const out: Json[] = [];
  for (let i = 0; i < o.count; i++) {
    const src = structuredClone(source[i % source.length]!);
    delete src.in_reply_to_id;
    const id = firstId + i;
    const thread = i % o.threads;
    const c: Json = {
      ...src,
      id,
      node_id: `PRRC_${Buffer.from(String(id)).toString('base64url')}`,
      url: `https://api.github.com/repos/${o.fullName}/pulls/comments/${id}`,
      html_url: `https://github.com/${o.fullName}/pull/${o.number}#discussion_r${id}`,
      pull_request_url: `https://api.github.com/repos/${o.fullName}/pulls/${o.number}`,
      pull_request_review_id: 4_000_000_000 + thread,
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('.000Z', 'Z'),
    };
    if (i < o.threads) rootIds.push(id);
    else c.in_reply_to_id = rootIds[thread];
    out.push(c);
  }
  return out;
}

/** Issue comments made from the real ones, with fresh ids (above 2^31). */
export function manyIssueComments(fullName: string, number: number, count: number, firstId = 3_200_000_000): Json[] {
  const source = [...realData.issueComments3415(), ...realData.issueComments5049()];
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    return {
      ...structuredClone(source[i % source.length]!),
      id,
      node_id: `IC_${Buffer.from(String(id)).toString('base64url')}`,
      url: `https://api.github.com/repos/${fullName}/issues/comments/${id}`,
      html_url: `https://github.com/${fullName}/pull/${number}#issuecomment-${id}`,
      issue_url: `https://api.github.com/repos/${fullName}/issues/${number}`,
    };
  });
}

/** Reviews made from the real #84 reviews, with fresh ids. */
export function manyReviews(fullName: string, number: number, count: number, firstId = 3_300_000_000): Json[] {
  const source = realData.reviews84();
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    return {
      ...structuredClone(source[i % source.length]!),
      id,
      node_id: `PRR_${Buffer.from(String(id)).toString('base64url')}`,
      html_url: `https://github.com/${fullName}/pull/${number}#pullrequestreview-${id}`,
      pull_request_url: `https://api.github.com/repos/${fullName}/pulls/${number}`,
    };
  });
}

export const SEEDED = {
  pr2965: { owner: 'jleechanorg', repo: 'worldarchitect.ai', pull_number: 2965 },
  pr3484: { owner: 'jleechanorg', repo: 'worldarchitect.ai', pull_number: 3484 },
  pr3415: { owner: 'jleechanorg', repo: 'worldarchitect.ai', pull_number: 3415 },
  pr3325: { owner: 'GoogleCloudPlatform', repo: 'DataflowTemplates', pull_number: 3325 },
  pr5049: { owner: 'kubernetes-sigs', repo: 'headlamp', pull_number: 5049 },
  pr84: { owner: 'parcadei', repo: 'Continuous-Claude-v3', pull_number: 84 },
} as const;

/** Roots of pr2965's threads that are marked resolved in the seed (the first five roots). */
export function resolvedRoots2965(): number[] {
  return realData
    .reviewComments2965()
    .filter((c) => c.in_reply_to_id === undefined)
    .map((c) => Number(c.id))
    .sort((a, b) => a - b)
    .slice(0, 5);
}

/** Seeds the double with the real PRs in {@link SEEDED}. */
export function seedRealPulls(double: GitHubDouble): void {
  const wa = 'jleechanorg/worldarchitect.ai';
  const rc2965 = realData.reviewComments2965();
  double.addPull(wa, {
    number: 2965,
    review_comments: rc2965,
    reviews: reviewsForComments(rc2965, wa, 2965),
    resolved: { rootIds: resolvedRoots2965(), by: 'jleechan2015' },
    labels: ['enhancement'],
  });
  const rc3484 = realData.reviewComments3484();
  double.addPull(wa, { number: 3484, review_comments: rc3484, reviews: reviewsForComments(rc3484, wa, 3484) });
  double.addPull(wa, { number: 3415, issue_comments: realData.issueComments3415() });
  const df = 'GoogleCloudPlatform/DataflowTemplates';
  const rc3325 = realData.reviewComments3325();
  double.addPull(df, { number: 3325, review_comments: rc3325, reviews: reviewsForComments(rc3325, df, 3325) });
  double.addPull('kubernetes-sigs/headlamp', { number: 5049, issue_comments: realData.issueComments5049(), labels: ['do-not-merge/hold'] });
  double.addPull('parcadei/Continuous-Claude-v3', { number: 84, reviews: realData.reviews84() });
}
