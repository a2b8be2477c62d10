/**
 * Connected components of the "join" relation between lessons, exactly as mycelium's all-pairs loop
 * defines it, without comparing all pairs.
 *
 * Two lessons join when they have the same type and Jaccard(tokens) >= `base` (0.34), or >= `samePrefix`
 * (0.15) when both keys have the same non-empty prefix. A shared prefix only lowers the bar, so the edge
 * set is: same type AND (J >= base OR (same prefix AND J >= min(base, samePrefix))).
 *
 * The fast path is a set-similarity self-join (prefix filtering over tokens ordered rarest first, a
 * length filter, verification by merge) run once per type at `base` and once per (type, prefix) group at
 * the lower bar, feeding one union-find. Connectivity is all we need, so a candidate already in the
 * probing lesson's component is skipped before it is verified.
 */
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

class UnionFind {
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

// Prefix and length bounds are rounded in the safe direction: a bound that float noise pushed just above
// an integer must not cut a prefix one token short. Verification then applies the exact float test.
const EPS = 1e-9;
const safeCeil = (v: number): number => Math.ceil(v - EPS);

/** Tokens as integer ranks, rarest first, so that prefixes hold the rare (selective) tokens. */
function rankTokens(items: readonly ClusterItem[]): Int32Array[] {
  const ids = new Map<string, number>();
  const df: number[] = [];
  const raw: Int32Array[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const tokens = items[i]!.tokens;
    const arr = new Int32Array(tokens.size);
    let k = 0;
    for (const tok of tokens) {
      let id = ids.get(tok);
      if (id === undefined) {
        id = df.length;
        ids.set(tok, id);
        df.push(0);
      }
      df[id]!++;
      arr[k++] = id;
    }
    raw[i] = arr;
  }
  const order = Array.from(df.keys()).sort((a, b) => df[a]! - df[b]! || a - b);
  const rank = new Int32Array(df.length);
  order.forEach((id, r) => (rank[id] = r));
  for (const arr of raw) {
    for (let k = 0; k < arr.length; k++) arr[k] = rank[arr[k]!]!;
    arr.sort();
  }
  return raw;
}

/** Overlap of two ascending arrays, abandoning as soon as `need` can no longer be reached. */
function overlapAtLeast(x: Int32Array, y: Int32Array, need: number): number {
  let i = 0;
  let j = 0;
  let inter = 0;
  const lx = x.length;
  const ly = y.length;
  while (i < lx && j < ly) {
    if (inter + Math.min(lx - i, ly - j) < need) return -1;
    const a = x[i]!;
    const b = y[j]!;
    if (a === b) {
      inter++;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return inter >= need ? inter : -1;
}

class SelfJoin {
  private readonly stamp: Int32Array;
  private probe = 0;
  constructor(
    private readonly sets: Int32Array[],
    private readonly uf: UnionFind,
  ) {
    this.stamp = new Int32Array(sets.length).fill(-1);
  }

  /** Unions every pair of `members` whose Jaccard is >= t. */
  run(members: number[], t: number): void {
    const sets = this.sets;
    const uf = this.uf;
    const stamp = this.stamp;
    members.sort((a, b) => sets[a]!.length - sets[b]!.length || a - b);
    const postings = new Map<number, { recs: number[]; start: number }>();
    const indexFactor = (2 * t) / (1 + t);
    const overlapFactor = t / (1 + t);
    for (const x of members) {
      const X = sets[x]!;
      const lx = X.length;
      const probeId = this.probe++;
      const minLen = safeCeil(t * lx);
      const probeLen = Math.min(lx, lx - safeCeil(t * lx) + 1);
      let rx = uf.find(x);
      for (let p = 0; p < probeLen; p++) {
        const list = postings.get(X[p]!);
        if (!list) continue;
        const recs = list.recs;
        // Lists grow in length order and later probes are longer, so short entries can go for good.
        while (list.start < recs.length && sets[recs[list.start]!]!.length < minLen) list.start++;
        for (let q = list.start; q < recs.length; q++) {
          const y = recs[q]!;
          if (stamp[y] === probeId) continue;
          stamp[y] = probeId;
          if (uf.find(y) === rx) continue;
          const Y = sets[y]!;
          const inter = overlapAtLeast(X, Y, safeCeil(overlapFactor * (lx + Y.length)));
          if (inter >= 0 && inter / (lx + Y.length - inter) >= t) rx = uf.union(x, y);
        }
      }
      const indexLen = Math.min(lx, lx - safeCeil(indexFactor * lx) + 1);
      for (let p = 0; p < indexLen; p++) {
        const tok = X[p]!;
        let list = postings.get(tok);
        if (!list) postings.set(tok, (list = { recs: [], start: 0 }));
        list.recs.push(x);
      }
    }
  }
}

/** Same labels as {@link clusterLabelsAllPairs} with Jaccard, at any size. */
export function clusterLabels(
  items: readonly ClusterItem[],
  thresholds: JoinThresholds = DEFAULT_THRESHOLDS,
): Int32Array {
  assertThresholds(thresholds);
  const uf = new UnionFind(items.length);
  const sets = rankTokens(items);
  const join = new SelfJoin(sets, uf);
  const byType = new Map<string, number[]>();
  const byTypePrefix = new Map<string, number[]>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (sets[i]!.length === 0) continue; // similarity with an empty set is 0: it joins nothing
    let list = byType.get(item.type);
    if (!list) byType.set(item.type, (list = []));
    list.push(i);
    if (item.prefix !== null) {
      const k = `${item.type}\u0000${item.prefix}`;
      let plist = byTypePrefix.get(k);
      if (!plist) byTypePrefix.set(k, (plist = []));
      plist.push(i);
    }
  }
  for (const members of byType.values()) if (members.length > 1) join.run(members, thresholds.base);
  const low = Math.min(thresholds.base, thresholds.samePrefix);
  if (low < thresholds.base) {
    for (const members of byTypePrefix.values()) if (members.length > 1) join.run(members, low);
  }
  return uf.labels();
}
