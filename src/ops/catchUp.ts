import { parsePrBundle } from '../capture/bundle.js';
import { listMergedPullsSince } from '../github/mergedPulls.js';
import type { MyceliumOctokit } from '../github/octokit.js';
import { readPrBundle } from '../github/readPullRequest.js';
import type { LessonsStore } from '../store/lessonsStore.js';
import { captureBundle, type CaptureOutcome, type CaptureSettings } from './capture.js';
import type { Logger } from './ports.js';

export interface CatchUpResult {
  /** Merged PRs in the window. */
  merged: number;
  captured: CaptureOutcome[];
  /** PRs that could not be read this time; the next run tries them again. */
  failed: Array<{ pr: number; error: string }>;
}

/**
 * Every run catches up: merged PRs in the look-back window that the database has not captured are
 * captured now. This is what makes overlapping runs, a lost artifact and a dropped event harmless —
 * capture is idempotent, so redoing a PR costs requests, never lessons.
 */
export async function catchUpMissingPrs(
  octokit: MyceliumOctokit,
  store: LessonsStore,
  opts: { owner: string; repo: string; since: string; now: string; settings?: CaptureSettings; maxPrs?: number },
  log: Logger,
): Promise<CatchUpResult> {
  const project = `${opts.owner}/${opts.repo}`;
  const merged = await listMergedPullsSince(octokit, opts);
  const have = store.capturedPrNumbers(project);
  const missing = merged.filter((p) => !have.has(p.number)).sort((a, b) => a.number - b.number);
  const limit = opts.maxPrs ?? Infinity;
  if (missing.length > limit) log.warning(`${missing.length} merged PRs are missing; catching up the oldest ${limit} this run`);
  const result: CatchUpResult = { merged: merged.length, captured: [], failed: [] };
  for (const pr of missing.slice(0, limit)) {
    try {
      const { bundle } = await readPrBundle(octokit, { owner: opts.owner, repo: opts.repo, pull_number: pr.number, pull: pr.pull });
      result.captured.push(captureBundle(store, parsePrBundle(bundle, `${project}#${pr.number}`), opts.now, opts.settings));
    } catch (err) {
      const message = (err as Error).message;
      log.warning(`catch-up: ${project}#${pr.number} skipped: ${message}`);
      result.failed.push({ pr: pr.number, error: message });
    }
  }
  return result;
}
