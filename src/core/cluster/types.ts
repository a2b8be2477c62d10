/** The clustering's inputs, thresholds and speed knobs. */

export interface ClusterItem {
  type: string;
  prefix: string | null;
  tokens: ReadonlySet<string>;
}

export interface JoinThresholds {
  base: number;
  samePrefix: number;
}

export const DEFAULT_THRESHOLDS: JoinThresholds = { base: 0.34, samePrefix: 0.15 };

/** Prefix filtering needs 0 < t <= 1; a bar of 0 would join lessons that share nothing. */
export function assertThresholds(t: JoinThresholds): void {
  for (const [name, v] of Object.entries(t)) {
    if (!(v > 0 && v <= 1)) throw new Error(`similarity threshold ${name} must be in (0, 1], got ${v}`);
  }
}

/**
 * Lessons in the shape the fast join reads: item i has the distinct token ids
 * `tokens[offsets[i]] .. tokens[offsets[i + 1] - 1]` (ids in 0..tokenCount-1, any order), a type id, and a
 * key-prefix id (-1: none). Ids only need to be equal exactly when the strings are.
 */
export interface TokenizedItems {
  count: number;
  offsets: Int32Array;
  tokens: Int32Array;
  tokenCount: number;
  typeIds: Int32Array;
  prefixIds: Int32Array;
}

export interface JoinTuning {
  /** A token in at least this share of a (type, prefix) group's lessons is frequent (indexed by pairs, not alone). */
  frequentShare: number;
  /** The same for a whole type. */
  frequentShareType: number;
  /** ... and in at least this many of them. */
  frequentMinDf: number;
  /** At most this many tokens of a group are frequent (the most frequent ones): pair lists live in a table of this size squared. */
  maxFrequent: number;
  /** Below this many lessons a group is joined with single-token postings only. */
  pairMinGroup: number;
  /** A component this big (at least) is the group's giant, whose members posting lists keep apart. */
  giantMin: number;
  /** Below this many lessons everything runs on the calling thread. */
  parallelMinItems: number;
  /** The calling thread waits up to this long for the worker to claim a unit before it claims any (tests). */
  workerHeadStartMs: number;
}

/** Speed knobs only: every setting gives the same labels (tests turn them to exercise every path). */
export const DEFAULT_TUNING: JoinTuning = {
  frequentShare: 0.0005,
  frequentShareType: 0.002,
  frequentMinDf: 16,
  maxFrequent: 768,
  pairMinGroup: 256,
  giantMin: 64,
  parallelMinItems: 250_000,
  workerHeadStartMs: 0,
};

/**
 * How the join may use a second thread: the caller decides (core reads no environment). `workerUrl` is the
 * worker entry (dist/cluster-worker/index.js in the bundle, cluster/worker.ts from source
 * through a TypeScript loader, see adapters/clusterThreads.ts); without it, or with `threads` 1,
 * everything runs on the calling thread.
 */
export interface JoinThreads {
  threads: number;
  workerUrl?: URL | undefined;
  /** Node options for the worker; default none. */
  execArgv?: string[] | undefined;
}

/** How one join ran: for benchmarks and diagnostics, never for results. */
export interface JoinRunStats {
  threads: number;
  units: number;
  workerUnits: number;
  workerFailed: boolean;
  ownMs: number;
  waitMs: number;
}
