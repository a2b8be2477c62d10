/**
 * Backfill: capture the merged PRs of a window that the database lacks — a busy repository's year
 * (1,000 PRs) in one run — within a request budget and a time limit, resuming where the last run stopped.
 *
 * How a run spends GitHub's budget (GITHUB_TOKEN: 1,000 REST requests and 1,000 GraphQL points an hour
 * per repository):
 * - listing merged PRs: one REST page per 100 closed PRs updated in the window (mergedPulls.ts);
 * - reading them: one GraphQL query per batch of 50 PRs (prBatch.ts: 14 points), which builds every PR
 *   whose reviews, threads and comments each fit in one page;
 * - a PR with more than one page of anything is read alone (readPrBundle: ≥ 1 point, ≥ 2 REST requests).
 * Before each query the run checks what it would cost against what is left, and before each batch the
 * clock; when either runs out it stops. Each captured PR is in the database (`captured_prs`) at once, so
 * the next run lists the window again, skips what is there and carries on: resuming needs no other state.
 *
 * Order: the most recently merged PRs first (recent lessons matter most to the next digest, and older
 * ones leave the window first); within a batch, captured in PR order.
 */
import { listMergedPullsSince, type MergedPull } from '../github/mergedPulls.js';
import type { MyceliumOctokit } from '../github/octokit.js';
import { batchLimits, checkBatchSize, DEFAULT_BATCH_SIZE, readPrBatch, type BatchPull } from '../github/prBatch.js';
import { PR_QUERY_POINTS, readPrBundle } from '../github/readPullRequest.js';
import type { Logger } from '../ports/index.js';
import type { LessonsStore } from '../store/lessonsStore.js';
import { captureBundle, type CaptureOutcome, type CaptureSettings } from './capture.js';

export interface BackfillBudget {
  /** REST requests this run may make. */
  restRequests: number;
  /** GraphQL points this run may spend. */
  graphqlPoints: number;
  /** Milliseconds this run may read for (checked before each query). */
  timeMs: number;
}

/**
 * 600 of GITHUB_TOKEN's 1,000 REST requests and 1,000 GraphQL points an hour, leaving the rest to other
 * workflows of the repository; 25 minutes, inside a 30-minute job with time left to store and upload.
 */
export const DEFAULT_BACKFILL_BUDGET: BackfillBudget = { restRequests: 600, graphqlPoints: 600, timeMs: 25 * 60_000 };

/** What a run spent. */
export interface BackfillUsage {
  restRequests: number;
  graphqlPoints: number;
  graphqlQueries: number;
  /** Batched queries among them. */
  batches: number;
  /** PRs read alone because something of theirs had more than one page. */
  readAlone: number;
}

export type StopReason = 'rest-budget' | 'graphql-budget' | 'time';

export interface BackfillResult {
  /** Merged PRs in the window. */
  merged: number;
  captured: CaptureOutcome[];
  /** PRs that could not be read this time; the next run tries them again. */
  failed: Array<{ pr: number; error: string }>;
  /** Missing PRs not taken because of the per-run cap (`maxPrs`). */
  leftOut: number;
  /** Why the run stopped early, or null when it read every PR it took. */
  stoppedBy: StopReason | null;
  /** Missing PRs not read because the run stopped early: the next run resumes with them. */
  remaining: number;
  usage: BackfillUsage;
}

export interface BackfillOptions {
  owner: string;
  repo: string;
  /** ISO time: PRs merged at or after it. */
  since: string;
  /** ISO time stamped on captures. */
  now: string;
  settings?: CaptureSettings;
  /** At most this many missing PRs a run (the ones merged last); default no cap. */
  maxPrs?: number;
  /** Parts of {@link DEFAULT_BACKFILL_BUDGET} to change. */
  budget?: Partial<BackfillBudget>;
  /** Milliseconds now (default Date.now); only differences are used. */
  clock?: () => number;
  /** PRs per GraphQL query (default {@link DEFAULT_BATCH_SIZE}). */
  batchSize?: number;
}

const STOP_WORDS: Record<StopReason, string> = {
  'rest-budget': 'REST request budget',
  'graphql-budget': 'GraphQL point budget',
  time: 'time limit',
};

/** `; stopped at the …: N PRs left, the next run resumes with them`, or '' when the run read all it took. */
export function describeStop(r: BackfillResult, budget: BackfillBudget = DEFAULT_BACKFILL_BUDGET): string {
  if (!r.stoppedBy) return '';
  const limit =
    r.stoppedBy === 'time'
      ? `${Math.round(budget.timeMs / 60_000)} min`
      : r.stoppedBy === 'rest-budget'
        ? `${budget.restRequests} requests`
        : `${budget.graphqlPoints} points`;
  return `; stopped at the ${STOP_WORDS[r.stoppedBy]} (${limit}): ${r.remaining} PRs left, the next run resumes with them`;
}

/** One line for logs and the job summary: what was done, and what the next run will do. */
export function describeBackfill(r: BackfillResult, budget: BackfillBudget = DEFAULT_BACKFILL_BUDGET): string {
  const u = r.usage;
  const spent = `${u.restRequests} REST requests, ${u.graphqlPoints} GraphQL points (${u.batches} batched queries, ${u.readAlone} PRs read alone)`;
  let line = `${r.merged} PRs merged in the window, ${r.captured.length} captured now; spent ${spent}`;
  if (r.failed.length) line += `; ${r.failed.length} failed (retried next run)`;
  line += describeStop(r, budget);
  if (r.leftOut) line += `; ${r.leftOut} older ones left out (per-run cap)`;
  return line;
}

/** The `limit` most recently merged of `missing` (ties: higher number first). */
function newestFirst(missing: readonly MergedPull[]): MergedPull[] {
  return [...missing].sort((a, b) => Date.parse(b.merged_at) - Date.parse(a.merged_at) || b.number - a.number);
}

/** Lists, reads and captures the window's missing merged PRs within the budget. */
export async function backfillMergedPrs(
  octokit: MyceliumOctokit,
  store: LessonsStore,
  opts: BackfillOptions,
  log: Logger,
): Promise<BackfillResult> {
  const budget: BackfillBudget = { ...DEFAULT_BACKFILL_BUDGET, ...opts.budget };
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  checkBatchSize(batchSize);
  const project = `${opts.owner}/${opts.repo}`;
  const usage: BackfillUsage = { restRequests: 0, graphqlPoints: 0, graphqlQueries: 0, batches: 0, readAlone: 0 };

  const merged = await listMergedPullsSince(octokit, { ...opts, onPage: () => void usage.restRequests++ });
  const have = store.capturedPrNumbers(project);
  const missing = newestFirst(merged.filter((p) => !have.has(p.number)));
  const limit = opts.maxPrs ?? Infinity;
  const chosen = missing.slice(0, limit);
  const leftOut = missing.length - chosen.length;
  if (leftOut > 0) {
    const left = missing.slice(limit).map((p) => `#${p.number}`);
    log.warning(
      `catch-up: ${missing.length} merged PRs are missing from the database; capturing the ${chosen.length} merged last this run ` +
        `and leaving ${left.length} (${left.length > 10 ? `${left.slice(0, 10).join(', ')}, ...` : left.join(', ')}); raise catch-up-max-prs to take more`,
    );
  }

  const result: BackfillResult = { merged: merged.length, captured: [], failed: [], leftOut, stoppedBy: null, remaining: 0, usage };
  const capture = (bundleNumber: number, run: () => CaptureOutcome): void => {
    try {
      result.captured.push(run());
    } catch (err) {
      const message = (err as Error).message;
      log.warning(`catch-up: ${project}#${bundleNumber} skipped: ${message}`);
      result.failed.push({ pr: bundleNumber, error: message });
    }
  };
  const fail = (f: { pr: number; error: string }): void => {
    log.warning(`catch-up: ${project}#${f.pr} skipped: ${f.error}`);
    result.failed.push(f);
  };
  /** Why the next step cannot be afforded, or null. */
  const cannotAfford = (points: number, rest: number): StopReason | null => {
    if (clock() - started >= budget.timeMs) return 'time';
    if (usage.graphqlPoints + points > budget.graphqlPoints) return 'graphql-budget';
    if (usage.restRequests + rest > budget.restRequests) return 'rest-budget';
    return null;
  };

  let next = 0; // index into chosen of the first PR not yet read
  const deferred: BatchPull[] = []; // PRs to read alone
  while (next < chosen.length && !result.stoppedBy) {
    // Shrink the last batch to what the points left can pay for.
    let size = Math.min(batchSize, chosen.length - next);
    while (size > 1 && usage.graphqlPoints + batchLimits(size).cost > budget.graphqlPoints) size--;
    const stop = cannotAfford(batchLimits(size).cost, 0);
    if (stop) {
      result.stoppedBy = stop;
      break;
    }
    const pulls = chosen.slice(next, next + size);
    let batch;
    try {
      batch = await readPrBatch(octokit, { owner: opts.owner, repo: opts.repo, pulls });
    } catch (err) {
      // The whole query failed (after the client's retries): these PRs wait for the next run.
      usage.graphqlQueries++;
      usage.graphqlPoints += batchLimits(size).cost;
      for (const p of pulls) fail({ pr: p.number, error: (err as Error).message });
      next += size;
      continue;
    }
    next += size;
    usage.graphqlQueries++;
    usage.batches++;
    usage.graphqlPoints += batch.cost;
    for (const bundle of [...batch.bundles].sort((a, b) => a.pull_request.number - b.pull_request.number)) {
      capture(bundle.pull_request.number, () => captureBundle(store, bundle, opts.now, opts.settings));
    }
    batch.failed.forEach(fail);
    deferred.push(...batch.needPaging);
  }

  // PRs with more than one page of something, read alone (at least 1 point and 2 REST requests each).
  let alone = 0;
  for (; alone < deferred.length; alone++) {
    const stop = cannotAfford(PR_QUERY_POINTS, 2);
    if (stop) {
      result.stoppedBy ??= stop;
      break;
    }
    const p = deferred[alone]!;
    try {
      const read = await readPrBundle(octokit, { owner: opts.owner, repo: opts.repo, pull_number: p.number, pull: p.pull });
      usage.readAlone++;
      usage.graphqlQueries += read.graphqlRequests;
      usage.graphqlPoints += read.graphqlRequests * PR_QUERY_POINTS;
      usage.restRequests += read.requests - read.graphqlRequests;
      capture(p.number, () => captureBundle(store, read.bundle, opts.now, opts.settings));
    } catch (err) {
      // A failed read spent at least its first query and REST pages.
      usage.graphqlPoints += PR_QUERY_POINTS;
      usage.restRequests += 2;
      fail({ pr: p.number, error: (err as Error).message });
    }
  }

  result.remaining = chosen.length - next + (deferred.length - alone);
  if (result.stoppedBy) log.warning(`catch-up: ${describeBackfill(result, budget)}`);
  return result;
}
