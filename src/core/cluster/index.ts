/**
 * Connected components of the "join" relation between lessons, exactly as mycelium's all-pairs loop
 * defines it, without comparing all pairs (docs/distill.md).
 *
 * Two lessons join when they have the same type and Jaccard(tokens) >= `base` (0.34), or >= `samePrefix`
 * (0.15) when both keys have the same non-empty prefix. A shared prefix only lowers the bar, so the edge
 * set is: same type AND (J >= base OR (same prefix AND J >= min(base, samePrefix))).
 *
 * The phases: the units of work (job.ts: one per type), and per unit an exact set-similarity self-join
 * (kernel/groupJoin.ts) run once per (type, prefix) group at the lower bar and once per type at `base`
 * (skipping same-prefix pairs there: the group join already decided them), all feeding one union-find
 * (unionFind.ts). With a worker entry and two threads the units are shared with a worker (threads.ts).
 * The join reads token ids only, so it is exact for any token sets: seed tokens or review tokens alike.
 */
import { makeJob, planUnits } from './job.js';
import { tokenizedFromItems } from './items.js';
import { runJoinJob } from './kernel/units.js';
import { runWithWorker } from './threads.js';
import {
  assertThresholds,
  DEFAULT_THRESHOLDS,
  DEFAULT_TUNING,
  type ClusterItem,
  type JoinRunStats,
  type JoinThresholds,
  type JoinThreads,
  type JoinTuning,
  type TokenizedItems,
} from './types.js';
import { labelsOf } from './unionFind.js';

export { clusterLabelsAllPairs, edgeThreshold } from './allPairs.js';
export { tokenizedFromItems } from './items.js';
export { UnionFind } from './unionFind.js';
export {
  assertThresholds,
  DEFAULT_THRESHOLDS,
  DEFAULT_TUNING,
  type ClusterItem,
  type JoinRunStats,
  type JoinThresholds,
  type JoinThreads,
  type JoinTuning,
  type TokenizedItems,
} from './types.js';

/** Same labels as {@link clusterLabelsAllPairs} with Jaccard, at any size, on this thread. */
export function clusterLabels(items: readonly ClusterItem[], thresholds: JoinThresholds = DEFAULT_THRESHOLDS): Int32Array {
  assertThresholds(thresholds);
  return clusterLabelsTokenized(tokenizedFromItems(items), thresholds);
}

export interface JoinRunOptions {
  tuning?: Partial<JoinTuning>;
  /** Threads and the worker entry, from the caller; default: this thread only. */
  threads?: JoinThreads;
  /** Told how the join ran. */
  onRun?: (stats: JoinRunStats) => void;
}

/** {@link clusterLabels} on already tokenized items: the path distill takes. */
export function clusterLabelsTokenized(
  input: TokenizedItems,
  thresholds: JoinThresholds = DEFAULT_THRESHOLDS,
  opts: JoinRunOptions = {},
): Int32Array {
  assertThresholds(thresholds);
  const tuning: JoinTuning = { ...DEFAULT_TUNING, ...opts.tuning };
  const threads = opts.threads;
  const workerUrl = threads && threads.threads > 1 ? threads.workerUrl : undefined;
  const plan = planUnits(input, (items, units) => workerUrl !== undefined && items >= tuning.parallelMinItems && units > 1);
  const job = makeJob(input, plan, plan.parallel, thresholds, tuning);
  const stats: JoinRunStats = { threads: 1, units: plan.unitStart.length - 1, workerUnits: 0, workerFailed: false, ownMs: 0, waitMs: 0 };
  if (plan.parallel && workerUrl) {
    stats.threads = 2;
    runWithWorker(job, { ...threads!, workerUrl }, tuning.workerHeadStartMs, stats);
  } else {
    runJoinJob(job, false, -1);
  }
  opts.onRun?.(stats);
  return labelsOf(job.parent);
}
