/** The definition, pair by pair: the reference the fast join is tested against, and the path for a custom similarity. */
import { jaccard, type Similarity } from '../text.js';
import { DEFAULT_THRESHOLDS, type ClusterItem, type JoinThresholds } from './types.js';
import { UnionFind } from './unionFind.js';

/** A shared key prefix lowers the bar (to the lower of the two), it never merges on its own. */
export function edgeThreshold(a: ClusterItem, b: ClusterItem, t: JoinThresholds): number {
  return a.prefix !== null && a.prefix === b.prefix ? Math.min(t.base, t.samePrefix) : t.base;
}

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
