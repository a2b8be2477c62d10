/**
 * The one union-find of the clustering: plain functions over an Int32Array of parents (and one of sizes),
 * so that the join kernel can run them on shared memory, on a group's local copy, or through the class.
 */

/** The root of x's component, halving the path on the way. */
export function findRoot(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const gp = parent[parent[x]!]!;
    parent[x] = gp;
    x = gp;
  }
  return x;
}

/** Links two distinct roots, the smaller component under the larger; returns the new root. */
export function linkRoots(parent: Int32Array, size: Int32Array, ra: number, rb: number): number {
  if (size[ra]! < size[rb]!) {
    const t = ra;
    ra = rb;
    rb = t;
  }
  parent[rb] = ra;
  size[ra]! += size[rb]!;
  return ra;
}

/** Joins the components of a and b; returns the root of the result. */
export function unite(parent: Int32Array, size: Int32Array, a: number, b: number): number {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  return ra === rb ? ra : linkRoots(parent, size, ra, rb);
}

/** Component label of every item: the smallest index in its component. */
export function labelsOf(parent: Int32Array): Int32Array {
  const n = parent.length;
  const minOfRoot = new Int32Array(n).fill(-1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = findRoot(parent, i);
    if (minOfRoot[r] === -1) minOfRoot[r] = i; // i ascends, so the first seen is the smallest
    out[i] = minOfRoot[r]!;
  }
  return out;
}

/** Singletons 0..n-1: parent[i] = i, size 1 (in shared memory when `alloc` gives it). */
export function singletons(n: number, alloc: (length: number) => Int32Array = (l) => new Int32Array(l)): {
  parent: Int32Array;
  size: Int32Array;
} {
  const parent = alloc(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const size = alloc(n).fill(1);
  return { parent, size };
}

export class UnionFind {
  readonly parent: Int32Array;
  private readonly size: Int32Array;
  constructor(n: number) {
    ({ parent: this.parent, size: this.size } = singletons(n));
  }
  find(x: number): number {
    return findRoot(this.parent, x);
  }
  union(a: number, b: number): number {
    return unite(this.parent, this.size, a, b);
  }
  labels(): Int32Array {
    return labelsOf(this.parent);
  }
}
