/** {@link ClusterItem}s (sets of strings) as the integer form the fast join reads. */
import type { ClusterItem, TokenizedItems } from './types.js';

/** Interns strings to dense ids. */
class Interner {
  readonly ids = new Map<string, number>();
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.ids.size));
    return id;
  }
}

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
