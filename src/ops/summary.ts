/**
 * The job summary's words, in one place: each operation pushes lines built here, and {@link jobSummaryText}
 * turns them into the text main.ts writes. Restyling the summary (e.g. real markdown) happens here only.
 */
import type { DigestReport } from '../core/distill.js';
import type { TierReport } from '../core/tiers.js';
import type { PublishResult } from '../ports/index.js';
import type { CaptureOutcome } from './capture.js';
import { describeStop } from './backfill.js';
import type { CatchUpResult } from './catchUp.js';

/** A step's summary may hold 1 MiB; 300,000 UTF-16 units are at most 900,000 UTF-8 bytes. */
export const SUMMARY_MAX_CHARS = 300_000;

export const DRY_RUN_LINE = 'Dry run: nothing is written to GitHub.';

export function describeCapture(o: CaptureOutcome): string {
  if (!o.merged) return `${o.project}#${o.prNumber}: not merged, nothing captured`;
  const reasons = new Map<string, number>();
  for (const s of o.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return [
    `${o.project}#${o.prNumber}: ${o.lessons.length} lessons (${o.inserted.length} new), ${o.skipped.length} comments skipped`,
    ...o.lessons.map((l) => `  - ${l.lesson.key} [${l.lesson.source}, confidence ${l.lesson.confidence}]: ${l.lesson.insight}`),
    ...top.map(([reason, n]) => `  skipped ${n}×: ${reason}`),
  ].join('\n');
}

export function describeCatchUp(result: CatchUpResult, since: string): string {
  return (
    `Catch-up: ${result.merged} PRs merged since ${since.slice(0, 10)}, ${result.captured.length} captured now` +
    (result.failed.length ? `, ${result.failed.length} failed (retried next run)` : '') +
    (result.leftOut ? `, ${result.leftOut} older ones left out (catch-up-max-prs)` : '') +
    (result.usage ? `; ${result.usage.restRequests} REST requests, ${result.usage.graphqlPoints} GraphQL points` : '') +
    describeStop(result)
  );
}

export function describeDistill(report: DigestReport): string[] {
  return [
    `Distill: ${report.total_lessons_scanned} lessons scanned in ${report.cluster_count} clusters, ` +
      `${report.dropped_unparseable_ts} dropped (unparseable ts), ${report.candidate_count} skill candidates`,
    ...report.candidates.map(
      (c) => `  - ${c.title}: ${c.cluster.lesson_ids.length} lessons over ${c.recurrence_pr_count} PRs, avg confidence ${c.cluster.avg_confidence}`,
    ),
  ];
}

export function describeDigest(publish: PublishResult, watermark: string | null): string {
  return `Digest: ${publish.action}${publish.issueUrl ? ` ${publish.issueUrl}` : ''}; watermark ${watermark ? `advanced to ${watermark}` : 'unchanged'}`;
}

export function describeTiers(report: TierReport): string {
  return `Tiers: promoted ${report.promoted}, demoted ${report.demoted} (archived ${report.archived}), errors ${report.errors.length}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The summary's code block text. Lesson text is untrusted and the summary's code block does not escape: escaped
 * here, and cut below what a step's summary may hold (never inside a surrogate pair).
 */
export function jobSummaryText(lines: readonly string[], maxChars = SUMMARY_MAX_CHARS): string {
  const full = escapeHtml(lines.join('\n'));
  return full.length > maxChars ? `${full.slice(0, maxChars).replace(/[\uD800-\uDBFF]$/, '')}\n… (summary cut)` : full;
}
