import type { MyceliumOctokit } from '../github/octokit.js';
import type { Logger } from '../ports/index.js';
import type { LessonsStore } from '../store/lessonsStore.js';
import { backfillMergedPrs, type BackfillBudget, type BackfillResult } from './backfill.js';
import type { CaptureSettings } from './capture.js';

/**
 * What a catch-up did: `merged` PRs in the window, those `captured` now, `failed` ones (retried next run),
 * `leftOut` by the per-run cap, and — when the budget or the time ran out — `stoppedBy` and the
 * `remaining` PRs the next run resumes with (see backfill.ts; `describeBackfill` words it for a summary).
 */
export type CatchUpResult = BackfillResult;

/**
 * Every run catches up: merged PRs in the look-back window that the database has not captured are
 * captured now. This is what makes overlapping runs, a lost artifact and a dropped event harmless —
 * capture is idempotent, so redoing a PR costs requests, never lessons. A first run with a long window
 * is a backfill: the same code, batched GraphQL reads, a request budget and a time limit (backfill.ts).
 */
export async function catchUpMissingPrs(
  octokit: MyceliumOctokit,
  store: LessonsStore,
  opts: {
    owner: string;
    repo: string;
    since: string;
    now: string;
    settings?: CaptureSettings;
    maxPrs?: number;
    budget?: Partial<BackfillBudget>;
    clock?: () => number;
    batchSize?: number;
  },
  log: Logger,
): Promise<CatchUpResult> {
  return backfillMergedPrs(octokit, store, opts, log);
}
