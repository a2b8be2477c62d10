import { distill, type DigestReport, type DistillOptions } from '../core/distill.js';
import { parseWatermarkState, serializeWatermarkState } from '../core/watermark.js';
import type { LessonRepository, Logger, WatermarkStore } from '../ports/index.js';

export interface DistillRunOptions extends Omit<DistillOptions, 'watermark'> {
  /** null: run without a watermark (read nothing, write nothing). */
  watermark: WatermarkStore | null;
  /**
   * Called once every row has been read, before clustering: a caller that needs the store no more frees it
   * here (at a million lessons the database is half a gigabyte of the run's memory).
   */
  afterHarvest?: () => void;
}

/** The rows, then `done()` once the reader has taken the last one. */
function* thenCall<T>(rows: Iterable<T>, done: () => void): Generator<T> {
  yield* rows;
  done();
}

/**
 * One distill run: read the watermark, distill the store's lessons, then advance the watermark to `now`.
 * The store is only read. A caller that must publish first (the Action) passes `advance: false` and
 * calls {@link advanceWatermark} after publishing succeeded.
 */
export async function runDistill(
  store: LessonRepository,
  opts: DistillRunOptions & { advance?: boolean },
  log: Logger,
): Promise<DigestReport> {
  let watermark: number | null = null;
  if (opts.watermark) {
    const state = parseWatermarkState(await opts.watermark.read(), `watermark ${opts.watermark.describe}`, opts.now);
    if (state.warning) log.warning(state.warning);
    watermark = state.lastRun;
  }
  const { watermark: watermarkStore, advance = true, afterHarvest, ...rest } = opts;
  const rows = store.harvestRows(opts.project);
  const report = distill(afterHarvest ? thenCall(rows, afterHarvest) : rows, { ...rest, watermark });
  if (watermarkStore && advance) await advanceWatermark(watermarkStore, opts.now);
  return report;
}

export async function advanceWatermark(store: WatermarkStore, now: number): Promise<void> {
  await store.write(serializeWatermarkState(now));
}
