/**
 * The join's whole input and state as typed arrays, so that a worker thread can share it. The work is cut
 * into units, one per lesson type (lessons of different types never join), that threads claim one at a
 * time; every unit touches only its own items of the union-find, so threads never write the same entry.
 */
import { singletons } from './unionFind.js';
import type { JoinThresholds, JoinTuning, TokenizedItems } from './types.js';

export interface JoinJob {
  offsets: Int32Array;
  tokens: Int32Array;
  prefixIds: Int32Array;
  tokenCount: number;
  /** Unit u's items with tokens, in (length, index) order: unitItems[unitStart[u] .. unitStart[u + 1]). */
  unitItems: Int32Array;
  unitStart: Int32Array;
  /** Union-find over all items. */
  parent: Int32Array;
  size: Int32Array;
  /** [0]: the next unit to claim; [1 + u]: one of the UNIT_* states. */
  control: Int32Array;
  base: number;
  low: number;
  frequentShare: number;
  frequentShareType: number;
  frequentMinDf: number;
  maxFrequent: number;
  pairMinGroup: number;
  giantMin: number;
}

export const UNIT_PENDING = 0;
export const UNIT_DONE = 1;
/** The worker failed the unit: the calling thread redoes it. */
export const UNIT_FAILED = 2;
export const UNIT_DONE_BY_WORKER = 3;

const sharedInt32 = (length: number, shared: boolean): Int32Array =>
  shared ? new Int32Array(new SharedArrayBuffer(Math.max(4, length * 4))) : new Int32Array(length);

/** The same array, in shared memory when it is not already. */
function inShared(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = sharedInt32(a.length, true);
  s.set(a);
  return s;
}

/** The units (types with at least two lessons with tokens, largest first) of the input. */
export interface UnitPlan {
  unitItems: Int32Array;
  unitStart: Int32Array;
}

/**
 * Items with tokens (similarity with an empty set is 0: it joins nothing), by type, each type in
 * (length, index) order: counting sorts. Types largest (costliest) first, so that two threads finish together.
 */
export function planUnits(input: TokenizedItems, shared: (items: number, units: number) => boolean): UnitPlan & { parallel: boolean } {
  const { count: n, offsets, typeIds } = input;
  let maxLen = 0;
  let maxType = -1;
  for (let i = 0; i < n; i++) {
    maxLen = Math.max(maxLen, offsets[i + 1]! - offsets[i]!);
    maxType = Math.max(maxType, typeIds[i]!);
  }
  const byLen = new Int32Array(maxLen + 2);
  for (let i = 0; i < n; i++) byLen[offsets[i + 1]! - offsets[i]! + 1]!++;
  for (let l = 1; l < byLen.length; l++) byLen[l]! += byLen[l - 1]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[byLen[offsets[i + 1]! - offsets[i]!]!++] = i;
  const empty = byLen[0]!; // after the fill, byLen[0] = how many have length 0
  const typeCount = new Int32Array(maxType + 2);
  for (let k = empty; k < n; k++) typeCount[typeIds[order[k]!]! + 1]!++;
  for (let ty = 1; ty < typeCount.length; ty++) typeCount[ty]! += typeCount[ty - 1]!;
  const sizeOf = (ty: number): number => typeCount[ty + 1]! - typeCount[ty]!;
  const types = Array.from({ length: maxType + 1 }, (_, ty) => ty).filter((ty) => sizeOf(ty) > 1);
  types.sort((a, b) => sizeOf(b) - sizeOf(a) || a - b);
  const parallel = shared(n - empty, types.length);
  const unitStart = sharedInt32(types.length + 1, parallel);
  const unitItems = sharedInt32(n - empty, parallel);
  const typeAt = new Int32Array(maxType + 1).fill(-1);
  types.forEach((ty, u) => (typeAt[ty] = u));
  for (let u = 0; u < types.length; u++) unitStart[u + 1] = unitStart[u]! + sizeOf(types[u]!);
  const fill = unitStart.slice(0, types.length);
  for (let k = empty; k < n; k++) {
    const u = typeAt[typeIds[order[k]!]!]!;
    if (u >= 0) unitItems[fill[u]!++] = order[k]!;
  }
  return { unitItems, unitStart, parallel };
}

/** The job for a plan: in shared memory when `parallel`. */
export function makeJob(
  input: TokenizedItems,
  plan: UnitPlan,
  parallel: boolean,
  thresholds: JoinThresholds,
  tuning: JoinTuning,
): JoinJob {
  const units = plan.unitStart.length - 1;
  const { parent, size } = singletons(input.count, (l) => sharedInt32(l, parallel));
  return {
    offsets: parallel ? inShared(input.offsets) : input.offsets,
    tokens: parallel ? inShared(input.tokens) : input.tokens,
    prefixIds: parallel ? inShared(input.prefixIds) : input.prefixIds,
    tokenCount: input.tokenCount,
    unitItems: plan.unitItems,
    unitStart: plan.unitStart,
    parent,
    size,
    control: sharedInt32(units + 1, parallel),
    base: thresholds.base,
    low: Math.min(thresholds.base, thresholds.samePrefix),
    frequentShare: tuning.frequentShare,
    frequentShareType: tuning.frequentShareType,
    frequentMinDf: tuning.frequentMinDf,
    maxFrequent: Math.max(2, Math.min(tuning.maxFrequent, 46000)), // keys a * F + b must fit an int32
    pairMinGroup: tuning.pairMinGroup,
    giantMin: tuning.giantMin,
  };
}
