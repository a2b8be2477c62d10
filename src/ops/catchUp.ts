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
  /** Missing PRs not captured because of the per-run cap. */
  leftOut: number;
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
  // A cap keeps one run inside its job timeout (reading a PR costs about a second of throttled requests).
  // The most recently merged PRs are taken, still captured in PR order: recent lessons matter most to the
  // next digest, and older ones fall out of the look-back window first anyway.
  const limit = opts.maxPrs ?? Infinity;
  let chosen = missing;
  if (missing.length > limit) {
    const newest = new Set(
      [...missing].sort((a, b) => Date.parse(b.merged_at) - Date.parse(a.merged_at) || b.number - a.number).slice(0, limit).map((p) => p.number),
    );
    chosen = missing.filter((p) => newest.has(p.number));
    const left = missing.filter((p) => !newest.has(p.number)).map((p) => `#${p.number}`);
    log.warning(
      `catch-up: ${missing.length} merged PRs are missing from the database; capturing the ${limit} merged last this run ` +
        `and leaving ${left.length} (${left.length > 10 ? `${left.slice(0, 10).join(', ')}, ...` : left.join(', ')}); raise catch-up-max-prs to take more`,
    );
  }
  const result: CatchUpResult = { merged: merged.length, captured: [], failed: [], leftOut: missing.length - chosen.length };
  for (const pr of chosen) {
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
