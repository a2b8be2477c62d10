/**
 * Connected components of the "join" relation between lessons, exactly as mycelium's all-pairs loop
 * defines it, without comparing all pairs.
 *
 * Two lessons join when they have the same type and Jaccard(tokens) >= `base` (0.34), or >= `samePrefix`
 * (0.15) when both keys have the same non-empty prefix. A shared prefix only lowers the bar, so the edge
 * set is: same type AND (J >= base OR (same prefix AND J >= min(base, samePrefix))).
 *
 * The fast path is an exact set-similarity self-join, run once per (type, prefix) group at the lower bar
 * and once per type at `base` (skipping same-prefix pairs there: the group join already decided them),
 * all feeding one union-find:
 *
 * - tokens are integer ranks, rarest first, each set sorted by rank;
 * - Jaccard >= t needs an overlap of at least a(x, y) = ceil(t / (1 + t) * (|x| + |y|)) and
 *   |y| >= t * |x| (length filter);
 * - ℓ-prefix filter with ℓ = 2: when a(x, y) >= 2, the first two common tokens (in rank order) both lie
 *   in x's first |x| - a + 2 tokens and in y's first |y| - a + 2 tokens. Lessons are processed shortest
 *   first; each is indexed under its first |y| - a(y, y) + 2 tokens and probes with its first
 *   |x| - a_min(x) + 2 tokens, counting per candidate how many of those it shares. A candidate needs a
 *   count of 2 (1 when a(x, y) = 1). This is what keeps the join fast on real text: two lessons that share
 *   one mid-frequency word are not verified;
 * - a candidate already in the probing lesson's component is skipped before it is verified (connectivity
 *   is all we need); the rest are verified exactly, by the same float test as the definition.
 *
 * Prefix and length bounds are rounded in the safe direction (a prefix may be a token longer than needed,
 * never shorter), so float noise can cost time, never a missed pair.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { jaccard, type Similarity } from './text.js';

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

export class UnionFind {
  readonly parent: Int32Array;
  private readonly size: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.size = new Int32Array(n).fill(1);
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      const gp = p[p[x]!]!;
      p[x] = gp;
      x = gp;
    }
    return x;
  }
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return ra;
  }
  /** Component label of every item: the smallest index in its component. */
  labels(): Int32Array {
    const n = this.parent.length;
    const minOfRoot = new Int32Array(n).fill(-1);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (minOfRoot[r] === -1) minOfRoot[r] = i; // i ascends, so the first seen is the smallest
      out[i] = minOfRoot[r]!;
    }
    return out;
  }
}

/** Prefix filtering needs 0 < t <= 1; a bar of 0 would join lessons that share nothing. */
export function assertThresholds(t: JoinThresholds): void {
  for (const [name, v] of Object.entries(t)) {
    if (!(v > 0 && v <= 1)) throw new Error(`similarity threshold ${name} must be in (0, 1], got ${v}`);
  }
}

function edgeThreshold(a: ClusterItem, b: ClusterItem, t: JoinThresholds): number {
  return a.prefix !== null && a.prefix === b.prefix ? Math.min(t.base, t.samePrefix) : t.base;
}

/** The definition, pair by pair: the reference the fast path is tested against, and the path for a custom similarity. */
export function clusterLabelsAllPairs(
  items: readonly ClusterItem[],
  thresholds: JoinThresholds = DEFAULT_THRESHOLDS,
  similarity: Similarity = jaccard,
): Int32Array {
  const uf = new UnionFind(items.length);
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j]!;
      if (a.type !== b.type) continue;
      if (similarity(a.tokens, b.tokens) >= edgeThreshold(a, b, thresholds)) uf.union(i, j);
    }
  }
  return uf.labels();
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

const EPS = 1e-9;
const safeCeil = (v: number): number => Math.ceil(v - EPS);

/** Interns strings to dense ids. */
class Interner {
  readonly ids = new Map<string, number>();
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.ids.size));
    return id;
  }
}

/** {@link ClusterItem}s (sets of strings) as {@link TokenizedItems}. */
export function tokenizedFromItems(items: readonly ClusterItem[]): TokenizedItems {
  const types = new Interner();
  const prefixes = new Interner();
  const toks = new Interner();
  const n = items.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += items[i]!.tokens.size;
  const tokens = new Int32Array(total);
  const typeIds = new Int32Array(n);
  const prefixIds = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    typeIds[i] = types.id(item.type);
    prefixIds[i] = item.prefix === null ? -1 : prefixes.id(item.prefix);
    for (const t of item.tokens) tokens[k++] = toks.id(t);
    offsets[i + 1] = k;
  }
  return { count: n, offsets, tokens, tokenCount: toks.ids.size, typeIds, prefixIds };
}

/** Same labels as {@link clusterLabelsAllPairs} with Jaccard, at any size. */
export function clusterLabels(
  items: readonly ClusterItem[],
  thresholds: JoinThresholds = DEFAULT_THRESHOLDS,
): Int32Array {
  assertThresholds(thresholds);
  return clusterLabelsTokenized(tokenizedFromItems(items), thresholds);
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
  /** Threads to join with (the calling one included); 0: as many as the machine has, up to 2. */
  threads: number;
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
  threads: 0,
  parallelMinItems: 250_000,
  workerHeadStartMs: 0,
};

/**
 * The join's whole input and state as typed arrays, so that a worker thread can share it. The work is cut
 * into units, one per lesson type (lessons of different types never join), that threads claim one at a
 * time; every unit touches only its own items of the union-find, so threads never write the same entry.
 */
interface JoinJob {
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
  /** [0]: the next unit to claim; [1 + u]: 0 pending, 1 done, 2 failed (in the worker: redo it), 3 done by the worker. */
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

/**
 * The join kernel. Self-contained on purpose (no reference to anything outside it but built-ins): a
 * worker thread runs its source text. `only` runs that one unit; otherwise units are claimed until none
 * is left. In a worker a failing unit is marked failed, for the calling thread to redo.
 */
function runJoinJob(job: JoinJob, inWorker: boolean, only: number): void {
  const EPS = 1e-9;
  const safeCeil = (v: number): number => Math.ceil(v - EPS);
  /** Mark layout: probe serial << 4 | count. Counts saturate at 14; 15: shares a frequent pair; 0: rejected. */
  const PAIR_HIT = 15;
  const { offsets, tokens, prefixIds, tokenCount, unitItems, unitStart, parent, size, control } = job;
  const { base, low, frequentShare, frequentShareType, frequentMinDf, maxFrequent, pairMinGroup } = job;
  const giantFloor = job.giantMin;
  const n = prefixIds.length;

  const find = (x: number): number => {
    while (parent[x] !== x) {
      const gp = parent[parent[x]!]!;
      parent[x] = gp;
      x = gp;
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    let ra = find(a);
    let rb = find(b);
    if (ra === rb) return;
    if (size[ra]! < size[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    parent[rb] = ra;
    size[ra]! += size[rb]!;
  };
  /** An array of at least `need` entries: `a` itself, or a new one (contents not kept). */
  const grow = (a: Int32Array, need: number): Int32Array =>
    a.length >= need ? a : new Int32Array(Math.max(need, a.length * 2));
  /** The same, keeping the contents. */
  const growKeep = (a: Int32Array, need: number): Int32Array => {
    if (a.length >= need) return a;
    const b = new Int32Array(Math.max(need, a.length * 2, 4096));
    b.set(a);
    return b;
  };

  /** Sorts a[from, to) ascending; insertion sort for the short runs lessons have. */
  const sortRange = (a: Int32Array, from: number, to: number): void => {
    if (to - from > 48) {
      a.subarray(from, to).sort();
      return;
    }
    for (let i = from + 1; i < to; i++) {
      const v = a[i]!;
      let j = i - 1;
      while (j >= from && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
  };

  // Per group member (local index k < G), sized for the largest unit (a group is a unit or part of one).
  let maxUnit = 0;
  let maxUnitTokens = 0;
  for (let u = 0; u + 1 < unitStart.length; u++) {
    maxUnit = Math.max(maxUnit, unitStart[u + 1]! - unitStart[u]!);
    let t = 0;
    for (let i = unitStart[u]!; i < unitStart[u + 1]!; i++) t += offsets[unitItems[i]! + 1]! - offsets[unitItems[i]!]!;
    maxUnitTokens = Math.max(maxUnitTokens, t);
  }
  const gLen = new Int32Array(maxUnit); // tokens
  const gOff = new Int32Array(maxUnit + 1); // token range in buf
  const gPrefix = new Int32Array(maxUnit);
  const lParent = new Int32Array(maxUnit); // the group's union-find, seeded from the global one
  const lSize = new Int32Array(maxUnit);
  const mark = new Int32Array(maxUnit);
  const cand = new Int32Array(maxUnit);
  const FREQ_KEEP = 8;
  const fCnt = new Int32Array(maxUnit); // frequent tokens in its index prefix (FREQ_KEEP + 1: more than kept)
  const fTok = new Uint16Array(maxUnit * FREQ_KEEP); // ... the first FREQ_KEEP of them (frequent index < 46000)
  const fSig = new Int32Array(maxUnit * 2); // ... all of them, as a 64-bit signature (bit = rank mod 64)
  const buf = new Int32Array(maxUnitTokens); // members' tokens as local ranks, each member's sorted
  const gSig = new Int32Array(maxUnit * 2); // members' tokens as a 64-bit signature (hashed local ranks)
  // Per token (global id or local rank).
  const tokStamp = new Int32Array(tokenCount).fill(-1);
  const gdf = new Int32Array(tokenCount);
  const local = new Int32Array(tokenCount);
  const touched = new Int32Array(tokenCount);
  const listStamp = new Int32Array(tokenCount).fill(-1);
  const sFill = new Int32Array(tokenCount);
  const sLo = new Int32Array(tokenCount);
  const sG = new Int32Array(tokenCount); // [lo, g): members of the group's giant component
  const fMark = new Int32Array(tokenCount).fill(-1);
  const bucket = new Int32Array(maxUnit + 2);
  const nextOfDf = new Int32Array(maxUnit + 2);
  let singles: Int32Array = new Int32Array(4096);
  // Frequent-pair posting lists (key a * F + b of frequent indexes a < b): [lo, fill) in `pairs`, [lo, g) giant members.
  let pStamp: Int32Array = new Int32Array(0);
  let pFill: Int32Array = new Int32Array(0);
  let pLo: Int32Array = new Int32Array(0);
  let pG: Int32Array = new Int32Array(0);
  let pUsed: Int32Array = new Int32Array(0);
  let pairs: Int32Array = new Int32Array(1024);
  let serial = 0; // stamps groups and layouts
  let probeSerial = 0;

  const nextProbe = (): number => {
    if (probeSerial >= 0x7ffffff) {
      mark.fill(0);
      fMark.fill(-1);
      probeSerial = 0;
    }
    return ++probeSerial;
  };

  /**
   * Re-ranks the tokens of members[from, to) by their frequency in the group (rarest first, ties by id)
   * into `buf`, each member's ranks sorted. Returns the group's distinct token count; bucket[d] is then
   * how many of them are in fewer than d members.
   */
  const localRanks = (members: Int32Array, from: number, G: number): number => {
    const s = ++serial;
    let nT = 0;
    let total = 0;
    for (let k = 0; k < G; k++) {
      const x = members[from + k]!;
      const a = offsets[x]!;
      const b = offsets[x + 1]!;
      gLen[k] = b - a;
      gOff[k] = total;
      total += b - a;
      for (let i = a; i < b; i++) {
        const w = tokens[i]!;
        if (tokStamp[w] !== s) {
          tokStamp[w] = s;
          gdf[w] = 0;
          touched[nT++] = w;
        }
        gdf[w]!++;
      }
    }
    gOff[G] = total;
    touched.subarray(0, nT).sort();
    bucket.fill(0, 0, G + 2);
    for (let i = 0; i < nT; i++) bucket[gdf[touched[i]!]! + 1]!++;
    for (let d = 1; d < G + 2; d++) bucket[d]! += bucket[d - 1]!;
    nextOfDf.set(bucket.subarray(0, G + 1));
    for (let i = 0; i < nT; i++) {
      const w = touched[i]!;
      local[w] = nextOfDf[gdf[w]!]!++;
    }
    for (let k = 0; k < G; k++) {
      const a = offsets[members[from + k]!]!;
      const o = gOff[k]!;
      const l = gLen[k]!;
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < l; i++) {
        const r = local[tokens[a + i]!]!;
        buf[o + i] = r;
        const bit = Math.imul(r, 0x9e3779b1) >>> 26;
        if (bit & 32) hi |= 1 << (bit & 31);
        else lo |= 1 << (bit & 31);
      }
      gSig[2 * k] = lo;
      gSig[2 * k + 1] = hi;
      sortRange(buf, o, o + l);
    }
    return nT;
  };

  /**
   * Seeds the group's union-find from the global one: members already connected share a root. Returns
   * the root of the largest seeded component.
   */
  const seedComponents = (members: Int32Array, from: number, G: number): number => {
    // Global roots are marked, for the time of this loop, by parent[root] = -1 - (first member): they
    // belong to this unit (components never span types), so no other thread reads them meanwhile.
    for (let k = 0; k < G; k++) cand[k] = find(members[from + k]!);
    let biggest = 0;
    for (let k = 0; k < G; k++) {
      gPrefix[k] = prefixIds[members[from + k]!]!;
      const r = cand[k]!;
      let first = parent[r]!;
      if (first >= 0) {
        parent[r] = -1 - k;
        first = k;
        lSize[k] = 0;
      } else first = -1 - first;
      lParent[k] = first;
      if (++lSize[first]! > lSize[biggest]!) biggest = first;
    }
    for (let k = 0; k < G; k++) parent[cand[k]!] = cand[k]!;
    return biggest;
  };
  const lFind = (k: number): number => {
    while (lParent[k] !== k) {
      const gp = lParent[lParent[k]!]!;
      lParent[k] = gp;
      k = gp;
    }
    return k;
  };
  const lUnion = (ra: number, rb: number): number => {
    if (lSize[ra]! < lSize[rb]!) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    lParent[rb] = ra;
    lSize[ra]! += lSize[rb]!;
    return ra;
  };

  const popcount = (v: number): number => {
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
  };

  /**
   * Exact Jaccard(x, y) >= t for group members x, y. First a bound from the signatures (each bit x has
   * and y lacks stands for at least one token of x that y lacks), then a merge that stops once the
   * needed overlap is out of reach.
   */
  const verify = (x: number, y: number, t: number, f: number): boolean => {
    const lx = gLen[x]!;
    const ly = gLen[y]!;
    const need = safeCeil(f * (lx + ly));
    const xl = gSig[2 * x]!;
    const xh = gSig[2 * x + 1]!;
    const yl = gSig[2 * y]!;
    const yh = gSig[2 * y + 1]!;
    if (lx - popcount(xl & ~yl) - popcount(xh & ~yh) < need) return false;
    if (ly - popcount(yl & ~xl) - popcount(yh & ~xh) < need) return false;
    let i = gOff[x]!;
    const ei = i + lx;
    let j = gOff[y]!;
    const ej = j + ly;
    let inter = 0;
    while (i < ei && j < ej) {
      if (inter + Math.min(ei - i, ej - j) < need) return false;
      const a = buf[i]!;
      const b = buf[j]!;
      if (a === b) {
        inter++;
        i++;
        j++;
      } else if (a < b) i++;
      else j++;
    }
    return inter / (lx + ly - inter) >= t;
  };

  /**
   * Unions every pair of members[from, to) (in length order) whose Jaccard is >= t; with skipSamePrefix,
   * pairs that share a key prefix are left out (another join decides them).
   */
  const join = (
    members: Int32Array,
    from: number,
    to: number,
    t: number,
    skipSamePrefix: boolean,
    share: number,
  ): void => {
    const G = to - from;
    if (G < 2) return;
    const nT = localRanks(members, from, G);
    // The giant: one big component whose members posting lists keep apart (at their front), so that a
    // lesson already in it skips them all, and one not in it finds out after a few verifications.
    const giantMin = Math.max(giantFloor, G >> 7);
    let gRep = seedComponents(members, from, G);
    if (lSize[gRep]! < giantMin) gRep = -1;
    const f = t / (1 + t);
    const groupMinLen = gLen[0]!;

    // Frequent tokens: local ranks >= L0, i.e. df >= cut (local ranks order tokens by df).
    let L0 = nT;
    if (G >= pairMinGroup) {
      const cut = Math.max(2, frequentMinDf, Math.ceil(share * G));
      if (cut <= G) L0 = bucket[cut]!;
    }
    if (nT - L0 > maxFrequent) L0 = nT - maxFrequent; // the most frequent of them
    if (nT - L0 < 2) L0 = nT; // one frequent token makes no pair
    const F = nT - L0;
    const usePairs = F >= 2;

    const probeLength = (lx: number): number => {
      const lyMin = Math.min(lx, Math.max(safeCeil(t * lx), groupMinLen, 1));
      return Math.max(0, Math.min(lx, lx - safeCeil(f * (lx + lyMin)) + 2));
    };
    const tinyProbe = (lx: number): boolean => {
      const lyMin = Math.min(lx, Math.max(safeCeil(t * lx), groupMinLen, 1));
      return safeCeil(f * (lx + lyMin)) <= 1;
    };
    const indexLength = (ly: number): number => Math.min(ly, ly - safeCeil(f * 2 * ly) + 2);
    const tinyIndex = (ly: number): boolean => safeCeil(f * 2 * ly) <= 1;
    const firstFrequent = (o: number, end: number): number => {
      let p = 0;
      while (p < end && buf[o + p]! < L0) p++;
      return p;
    };

    // Frequent-pair lists, in an F×F table: key a * F + b -> [lo, fill) in `pairs`, [lo, g) the giant's members.
    const layoutSerial = ++serial;
    let nUsed = 0;
    if (usePairs) {
      const cells = F * F;
      // Buffers only ever grow: a run allocates a handful of times (each allocation can cost the caller a
      // full GC), and a stale stamp never equals a new serial.
      if (pStamp.length < cells) {
        pStamp = new Int32Array(Math.max(cells, pStamp.length * 2));
        pFill = new Int32Array(pStamp.length);
        pLo = new Int32Array(pStamp.length);
        pG = new Int32Array(pStamp.length);
      }
    }
    /** Counts one more entry for a pair key (pass 1). */
    const countKey = (key: number): void => {
      if (pStamp[key] !== layoutSerial) {
        pStamp[key] = layoutSerial;
        pFill[key] = 0;
        if (nUsed === pUsed.length) pUsed = growKeep(pUsed, nUsed + 1);
        pUsed[nUsed++] = key;
      }
      pFill[key]!++;
    };

    // Pass 1: size the posting lists the group will write (a list nobody writes reads as empty), and note
    // each member's frequent index tokens.
    let nS = 0;
    let nSinglesTotal = 0;
    for (let k = 0; k < G; k++) {
      const lx = gLen[k]!;
      const o = gOff[k]!;
      const I = indexLength(lx);
      const tinyI = tinyIndex(lx);
      for (let p = 0; p < I; p++) {
        const w = buf[o + p]!;
        if (w >= L0 && !tinyI) break;
        if (listStamp[w] !== layoutSerial) {
          listStamp[w] = layoutSerial;
          sFill[w] = 0;
          touched[nS++] = w; // `touched` is free again once local ranks are built
        }
        sFill[w]!++;
        nSinglesTotal++;
      }
      let nf = 0;
      let sigLo = 0;
      let sigHi = 0;
      if (usePairs) {
        for (let a = firstFrequent(o, I); a < I; a++) {
          const fa = buf[o + a]! - L0;
          if (nf < FREQ_KEEP) fTok[k * FREQ_KEEP + nf] = fa;
          nf++;
          if (fa & 32) sigHi |= 1 << (fa & 31);
          else sigLo |= 1 << (fa & 31);
          const keyBase = fa * F - L0;
          for (let b = a + 1; b < I; b++) countKey(keyBase + buf[o + b]!);
        }
      }
      fCnt[k] = Math.min(nf, FREQ_KEEP + 1);
      fSig[2 * k] = sigLo;
      fSig[2 * k + 1] = sigHi;
    }
    singles = grow(singles, nSinglesTotal);
    const sList = singles;
    for (let i = 0, at = 0; i < nS; i++) {
      const w = touched[i]!;
      const size = sFill[w]!;
      sLo[w] = at;
      sG[w] = at;
      sFill[w] = at;
      at += size;
    }
    if (usePairs) {
      let at = 0;
      for (let i = 0; i < nUsed; i++) {
        const h = pUsed[i]!;
        const size = pFill[h]!;
        pLo[h] = at;
        pG[h] = at;
        pFill[h] = at;
        at += size;
      }
      pairs = grow(pairs, at);
    }
    const stamps = pStamp;
    /** The list of a pair key, or -1 when nobody wrote one. */
    const slotOf = (key: number): number => (stamps[key] === layoutSerial ? key : -1);
    const pList = pairs;
    const pLoA = pLo;
    const pGA = pG;
    const pFillA = pFill;

    // Pass 2: probe, then index, shortest first.
    for (let k = 0; k < G; k++) {
      const lx = gLen[k]!;
      const o = gOff[k]!;
      const minLen = Math.max(safeCeil(t * lx), groupMinLen);
      const prune = minLen > groupMinLen; // lists hold no member shorter than the group's shortest
      const P = probeLength(lx);
      const tinyP = tinyProbe(lx);
      const probe = nextProbe();
      const stamp = probe << 4;
      const firstF = firstFrequent(o, P);
      const hasF = usePairs && firstF < P;
      const pushFirst = tinyP || hasF;
      let rx = lFind(k);
      let gRoot = gRep >= 0 ? lFind(gRep) : -1;
      const px = gPrefix[k]!;
      let nc = 0;
      let xSigLo = 0;
      let xSigHi = 0;
      if (hasF) {
        for (let a = firstF; a < P; a++) {
          const w = buf[o + a]!;
          fMark[w] = probe;
          if ((w - L0) & 32) xSigHi |= 1 << ((w - L0) & 31);
          else xSigLo |= 1 << ((w - L0) & 31);
        }
        // Phase A, for a lesson outside the giant: try the giant members it shares a frequent pair with
        // (a pair hit meets the count), verifying at once, until one joins it to the giant.
        if (gRoot >= 0 && rx !== gRoot) {
          outer: for (let a = firstF; a < P; a++) {
            const keyBase = (buf[o + a]! - L0) * F - L0;
            for (let b = a + 1; b < P; b++) {
              const h = slotOf(keyBase + buf[o + b]!);
              if (h < 0) continue;
              for (let s = pLoA[h]!, e = pGA[h]!; s < e; s++) {
                const y = pList[s]!;
                if (mark[y]! >>> 4 === probe) continue;
                mark[y] = stamp; // decided: not a candidate any more for this probe
                if (skipSamePrefix && px >= 0 && gPrefix[y] === px) continue;
                if (verify(k, y, t, f)) {
                  rx = lUnion(rx, gRoot);
                  gRoot = rx;
                  gRep = rx;
                  break outer;
                }
              }
            }
          }
        }
      }
      const inGiant = gRoot >= 0 && rx === gRoot;
      // Phase B: count shared rare tokens; a lesson in the giant reads only the lists' other members, and
      // moves members that joined the giant since to the front.
      const singlesEnd = tinyP ? P : firstF;
      for (let p = 0; p < singlesEnd; p++) {
        const w = buf[o + p]!;
        if (listStamp[w] !== layoutSerial) continue;
        let s = sLo[w]!;
        const e = sFill[w]!;
        let g = sG[w]!;
        if (prune) {
          while (s < e && gLen[sList[s]!]! < minLen) s++;
          sLo[w] = s;
          if (g < s) g = s;
        }
        for (let q = inGiant ? g : s; q < e; q++) {
          const y = sList[q]!;
          if (q >= g && gRoot >= 0 && lFind(y) === gRoot) {
            sList[q] = sList[g]!;
            sList[g++] = y;
            if (inGiant) continue;
          }
          const v = mark[y]!;
          if (v >>> 4 !== probe) {
            mark[y] = stamp | 1;
            if (pushFirst) cand[nc++] = y;
          } else {
            const c = v & 15;
            if (c === 0) continue; // decided in phase A
            if (c < 14) mark[y] = v + 1;
            if (c === 1 && !pushFirst) cand[nc++] = y;
          }
        }
        sG[w] = g;
      }
      if (hasF) {
        for (let a = firstF; a < P; a++) {
          const keyBase = (buf[o + a]! - L0) * F - L0;
          for (let b = a + 1; b < P; b++) {
            const h = slotOf(keyBase + buf[o + b]!);
            if (h < 0) continue;
            let g = pGA[h]!;
            const e = pFillA[h]!;
            if (prune) {
              let s = pLoA[h]!;
              while (s < e && gLen[pList[s]!]! < minLen) s++;
              pLoA[h] = s;
              if (g < s) g = s;
            }
            // The giant's members at the front were all decided in phase A (or do not matter).
            for (let q = g; q < e; q++) {
              const y = pList[q]!;
              const v = mark[y]!;
              if (v >>> 4 === probe) {
                if ((v & 15) !== 0) mark[y] = stamp | PAIR_HIT; // in cand already (or decided: keep)
                continue;
              }
              const ry = lFind(y);
              if (ry === gRoot) {
                pList[q] = pList[g]!;
                pList[g++] = y;
              }
              if (ry === rx) {
                mark[y] = stamp; // already connected
                continue;
              }
              mark[y] = stamp | PAIR_HIT;
              cand[nc++] = y;
            }
            pGA[h] = g;
          }
        }
      }
      if (nc > 0) {
        for (let i = 0; i < nc; i++) {
          const y = cand[i]!;
          const c = mark[y]! & 15;
          const ly = gLen[y]!;
          if (c < 2 && safeCeil(f * (lx + ly)) >= 2) {
            // One rare token in common: a second one can only be a frequent token of both prefixes.
            if (((xSigLo & fSig[2 * y]!) | (xSigHi & fSig[2 * y + 1]!)) === 0) continue;
            const nf = fCnt[y]!;
            let hit = false;
            if (nf <= FREQ_KEEP) {
              for (let q = y * FREQ_KEEP, e = q + nf; q < e; q++) {
                if (fMark[fTok[q]! + L0] === probe) {
                  hit = true;
                  break;
                }
              }
            } else {
              const oy = gOff[y]!;
              for (let q = oy + indexLength(ly) - 1; q >= oy; q--) {
                const w = buf[q]!;
                if (w < L0) break;
                if (fMark[w] === probe) {
                  hit = true;
                  break;
                }
              }
            }
            if (!hit) continue;
          }
          const ry = lFind(y);
          if (ry === rx) continue;
          if (skipSamePrefix && px >= 0 && gPrefix[y] === px) continue;
          if ((c < 14 && c / (lx + ly - c) >= t) || verify(k, y, t, f)) {
            const giantJoins = gRoot >= 0 && (rx === gRoot || ry === gRoot);
            rx = lUnion(rx, ry);
            if (giantJoins || (gRoot < 0 && lSize[rx]! >= giantMin)) {
              gRep = rx;
              gRoot = rx;
            }
          }
        }
      }
      // Index x.
      const I = indexLength(lx);
      const tinyI = tinyIndex(lx);
      for (let p = 0; p < I; p++) {
        const w = buf[o + p]!;
        if (w >= L0 && !tinyI) break;
        sList[sFill[w]!++] = k;
      }
      if (usePairs) {
        for (let a = firstFrequent(o, I); a < I; a++) {
          const keyBase = (buf[o + a]! - L0) * F - L0;
          for (let b = a + 1; b < I; b++) pList[pFillA[slotOf(keyBase + buf[o + b]!)]!++] = k;
        }
      }
    }
    // Hand the group's unions to the global union-find.
    for (let k = 0; k < G; k++) {
      const r = lFind(k);
      if (r !== k) union(members[from + k]!, members[from + r]!);
    }
  };

  /** Unit u: the (type, prefix) groups at the lowered bar, then the whole type at the base bar. */
  const processUnit = (u: number): void => {
    const from = unitStart[u]!;
    const to = unitStart[u + 1]!;
    const lowered = low < base;
    if (lowered) {
      // Stable bucketing by prefix keeps each group in (length, index) order.
      const count = new Map<number, number>();
      for (let i = from; i < to; i++) {
        const pfx = prefixIds[unitItems[i]!]!;
        if (pfx >= 0) count.set(pfx, (count.get(pfx) ?? 0) + 1);
      }
      const start = new Map<number, number>();
      let at = 0;
      for (const [pfx, c] of count) {
        start.set(pfx, at);
        at += c;
      }
      const grouped = new Int32Array(at);
      const fill = new Map(start);
      for (let i = from; i < to; i++) {
        const x = unitItems[i]!;
        const pfx = prefixIds[x]!;
        if (pfx < 0) continue;
        const pos = fill.get(pfx)!;
        grouped[pos] = x;
        fill.set(pfx, pos + 1);
      }
      for (const [pfx, c] of count) join(grouped, start.get(pfx)!, start.get(pfx)! + c, low, false, frequentShare);
    }
    join(unitItems, from, to, base, lowered, frequentShareType);
  };

  if (only >= 0) {
    processUnit(only);
    return;
  }
  const units = unitStart.length - 1;
  for (;;) {
    const u = Atomics.add(control, 0, 1);
    if (inWorker) Atomics.notify(control, 0);
    if (u >= units) break;
    if (!inWorker) {
      processUnit(u);
      Atomics.store(control, 1 + u, 1);
      continue;
    }
    let state = 3; // done by the worker
    try {
      processUnit(u);
    } catch {
      state = 2; // failed: the calling thread redoes it
    }
    Atomics.store(control, 1 + u, state);
    Atomics.notify(control, 1 + u);
  }
}

/** Source text of a worker that runs {@link runJoinJob} on the job it is given. */
function workerSource(): string {
  return [
    // esbuild (tsx) names functions through this helper; the copy of the kernel may call it.
    'var __name = (target, value) => Object.defineProperty(target, "name", { value, configurable: true });',
    `const runJoinJob = ${runJoinJob.toString()};`,
    'const { workerData } = require("node:worker_threads");',
    'runJoinJob(workerData, true, -1);',
  ].join('\n');
}

const sharedInt32 = (length: number, parallel: boolean): Int32Array =>
  parallel ? new Int32Array(new SharedArrayBuffer(Math.max(4, length * 4))) : new Int32Array(length);

/** The same array, in shared memory when it is not already. */
function shared(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = sharedInt32(a.length, true);
  s.set(a);
  return s;
}

/** MYCELIUM_DISTILL_THREADS=1 keeps the join on the calling thread (2: use a worker whenever it pays). */
function threadCount(tuning: JoinTuning, items: number): number {
  if (items < tuning.parallelMinItems) return 1;
  const fromEnv = Number(process.env['MYCELIUM_DISTILL_THREADS']);
  const wanted = tuning.threads > 0 ? tuning.threads : fromEnv > 0 ? fromEnv : 0;
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : 1;
  return Math.max(1, Math.min(wanted > 0 ? wanted : Math.min(2, cores), 2));
}

/** How the last {@link clusterLabelsTokenized} call ran: for benchmarks and diagnostics. */
export const lastJoinRun = { threads: 1, units: 0, workerUnits: 0, workerFailed: false, ownMs: 0, waitMs: 0 };

/** {@link clusterLabels} on already tokenized items: the path distill takes. */
export function clusterLabelsTokenized(
  input: TokenizedItems,
  thresholds: JoinThresholds = DEFAULT_THRESHOLDS,
  tuningOverrides: Partial<JoinTuning> = {},
): Int32Array {
  assertThresholds(thresholds);
  const tuning: JoinTuning = { ...DEFAULT_TUNING, ...tuningOverrides };
  const { count: n, offsets, typeIds } = input;
  // Items with tokens (similarity with an empty set is 0: it joins nothing), by type, each type in
  // (length, index) order: counting sorts.
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
  // Units: the types, largest (costliest) first, so that two threads finish together.
  const types = Array.from({ length: maxType + 1 }, (_, ty) => ty).filter((ty) => typeCount[ty + 1]! - typeCount[ty]! > 1);
  types.sort((a, b) => typeCount[b + 1]! - typeCount[b]! - (typeCount[a + 1]! - typeCount[a]!) || a - b);
  const threads = threadCount(tuning, n - empty);
  const parallel = threads > 1 && types.length > 1;
  const unitStart = sharedInt32(types.length + 1, parallel);
  const unitItems = sharedInt32(n - empty, parallel);
  {
    const typeAt = new Int32Array(maxType + 1).fill(-1);
    types.forEach((ty, u) => (typeAt[ty] = u));
    for (let u = 0; u < types.length; u++) {
      const ty = types[u]!;
      unitStart[u + 1] = unitStart[u]! + typeCount[ty + 1]! - typeCount[ty]!;
    }
    const fill = unitStart.slice(0, types.length);
    for (let k = empty; k < n; k++) {
      const u = typeAt[typeIds[order[k]!]!]!;
      if (u >= 0) unitItems[fill[u]!++] = order[k]!;
    }
  }
  const parent = sharedInt32(n, parallel);
  for (let i = 0; i < n; i++) parent[i] = i;
  const size = sharedInt32(n, parallel).fill(1);
  const job: JoinJob = {
    offsets: parallel ? shared(offsets) : offsets,
    tokens: parallel ? shared(input.tokens) : input.tokens,
    prefixIds: parallel ? shared(input.prefixIds) : input.prefixIds,
    tokenCount: input.tokenCount,
    unitItems,
    unitStart,
    parent,
    size,
    control: sharedInt32(types.length + 1, parallel),
    base: thresholds.base,
    low: Math.min(thresholds.base, thresholds.samePrefix),
    frequentShare: tuning.frequentShare,
    frequentShareType: tuning.frequentShareType,
    frequentMinDf: tuning.frequentMinDf,
    maxFrequent: Math.max(2, Math.min(tuning.maxFrequent, 46000)), // keys a * F + b must fit an int32
    pairMinGroup: tuning.pairMinGroup,
    giantMin: tuning.giantMin,
  };
  lastJoinRun.threads = parallel ? threads : 1;
  lastJoinRun.units = types.length;
  lastJoinRun.workerUnits = 0;
  lastJoinRun.workerFailed = false;
  if (!parallel) {
    runJoinJob(job, false, -1);
  } else {
    let worker: Worker | null = null;
    try {
      // No execArgv: the source is plain JavaScript, and loaders the parent runs with (tsx) only slow the start.
      worker = new Worker(workerSource(), { eval: true, workerData: job, execArgv: [] });
      worker.unref();
      worker.on('error', () => {}); // a worker that fails leaves its units to this thread (below)
    } catch {
      worker = null;
      lastJoinRun.workerFailed = true;
    }
    if (tuning.workerHeadStartMs > 0) Atomics.wait(job.control, 0, 0, tuning.workerHeadStartMs);
    const t0 = performance.now();
    runJoinJob(job, false, -1);
    const t1 = performance.now();
    // Units the worker claimed: wait for them; redo the ones it failed.
    for (let u = 0; u < types.length; u++) {
      for (;;) {
        const state = Atomics.load(job.control, 1 + u);
        if (state === UNIT_DONE) break;
        if (state === UNIT_DONE_BY_WORKER) {
          lastJoinRun.workerUnits++;
          break;
        }
        if (state === UNIT_FAILED) {
          lastJoinRun.workerFailed = true;
          runJoinJob(job, false, u);
          break;
        }
        if (Atomics.wait(job.control, 1 + u, 0, WORKER_TIMEOUT_MS) === 'timed-out') {
          throw new Error('clustering: a worker thread stopped answering');
        }
      }
    }
    lastJoinRun.ownMs = Math.round(t1 - t0);
    lastJoinRun.waitMs = Math.round(performance.now() - t1);
    void worker?.terminate();
  }
  return labelsOf(parent);
}

const WORKER_TIMEOUT_MS = 30 * 60 * 1000;
const UNIT_DONE = 1;
const UNIT_FAILED = 2;
const UNIT_DONE_BY_WORKER = 3;

/** Component label of every item: the smallest index in its component. */
function labelsOf(parent: Int32Array): Int32Array {
  const n = parent.length;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const gp = parent[parent[x]!]!;
      parent[x] = gp;
      x = gp;
    }
    return x;
  };
  const minOfRoot = new Int32Array(n).fill(-1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (minOfRoot[r] === -1) minOfRoot[r] = i;
    out[i] = minOfRoot[r]!;
  }
  return out;
}
