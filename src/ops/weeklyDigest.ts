/**
 * The weekly run (SPEC §5): distill without moving the watermark, publish the digest, and only then
 * advance the watermark. When publishing fails the error propagates and the watermark stays where it
 * was, so the next run sees the same lessons as new again; the publisher recognises a digest it already
 * posted, so that re-run does not post it twice.
 */
import type { DigestReport } from '../core/distill.js';
import type { PublishResult } from '../github/digestPublisher.js';
import type { LessonsStore } from '../store/lessonsStore.js';
import { advanceWatermark, runDistill, type DistillRunOptions } from './distillRun.js';
import type { Logger } from './ports.js';

/** Posts a report (e.g. `(r) => publishDigest(octokit, { ...target, report: r })`). */
export type DigestPublish = (report: DigestReport) => Promise<PublishResult>;

export interface WeeklyDigestResult {
  report: DigestReport;
  publish: PublishResult;
  /** True when the watermark was written (publishing succeeded and a watermark store was given). */
  watermarkAdvanced: boolean;
}

/** Outcomes after which the digest is known to be on GitHub (or there was nothing to post). */
const PUBLISHED: ReadonlySet<PublishResult['action']> = new Set(['created', 'existing', 'skipped-empty']);

export async function runWeeklyDigest(
  store: LessonsStore,
  opts: DistillRunOptions & { publish: DigestPublish },
  log: Logger,
): Promise<WeeklyDigestResult> {
  const { publish, ...distillOpts } = opts;
  const report = await runDistill(store, { ...distillOpts, advance: false }, log);
  const published = await publish(report); // throws on failure: the watermark is not touched
  let watermarkAdvanced = false;
  if (opts.watermark && PUBLISHED.has(published.action)) {
    await advanceWatermark(opts.watermark, opts.now);
    watermarkAdvanced = true;
  } else if (opts.watermark) {
    log.info(`watermark ${opts.watermark.describe} not advanced (${published.action})`);
  }
  return { report, publish: published, watermarkAdvanced };
}
