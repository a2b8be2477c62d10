/**
 * The similarities distill can cluster by, and lessons tokenized for each as the fast join reads them.
 *
 * Both are Jaccard over token sets, so the exact join (core/cluster) serves both; they differ in the sets:
 * - `seed`: mycelium's tokens (text.ts), stop words included, exactly as mycelium compares lessons;
 * - `review`: the content tokens of review text (reviewTokens.ts): stop words out, lightly stemmed.
 */
import type { ClusterItem, TokenizedItems } from './cluster/index.js';
import { reviewToken, reviewTokenSet } from './reviewTokens.js';
import { IntList, keyPrefix, tokenize, TokenTable } from './text.js';

export const SIMILARITIES = ['seed', 'review'] as const;
export type SimilarityName = (typeof SIMILARITIES)[number];
export const DEFAULT_SIMILARITY: SimilarityName = 'review';

export function isSimilarityName(v: unknown): v is SimilarityName {
  return v === 'seed' || v === 'review';
}

/** What the join needs of a lesson. */
export interface TokenSource {
  type: string;
  key: string;
  insight: string;
}

/** A lesson's token set for a similarity, as strings: the reference path (all pairs, tests). */
export function tokensFor(similarity: SimilarityName, text: string): Set<string> {
  const seed = tokenize(text);
  return similarity === 'seed' ? seed : reviewTokenSet(seed);
}

export function clusterItemsFor(lessons: readonly TokenSource[], similarity: SimilarityName): ClusterItem[] {
  return lessons.map((l) => ({ type: l.type, prefix: keyPrefix(l.key), tokens: tokensFor(similarity, l.insight) }));
}

/**
 * Review token ids from seed token ids: each distinct seed token is mapped once (to a review id, or to
 * none for a stop word), and two seed tokens with one stem count once.
 */
class ReviewIds {
  private byStem = new Map<string, number>();
  private ofSeed: Int32Array = new Int32Array(1024).fill(-2); // -2: not mapped yet, -1: a stop word
  private seenIn: Int32Array = new Int32Array(1024).fill(-1); // per review id: the last lesson that had it
  get size(): number {
    return this.byStem.size;
  }
  /** Appends the review ids of seed ids seed[from, to) to `out`, each once; `lesson` must differ per call. */
  map(table: TokenTable, seed: Int32Array, from: number, to: number, lesson: number, out: IntList): void {
    for (let i = from; i < to; i++) {
      const s = seed[i]!;
      if (s >= this.ofSeed.length) this.ofSeed = grown(this.ofSeed, s + 1, -2);
      let r = this.ofSeed[s]!;
      if (r === -2) {
        const stem = reviewToken(table.token(s));
        if (stem === null) r = -1;
        else {
          let id = this.byStem.get(stem);
          if (id === undefined) this.byStem.set(stem, (id = this.byStem.size));
          r = id;
        }
        this.ofSeed[s] = r;
      }
      if (r < 0) continue;
      if (r >= this.seenIn.length) this.seenIn = grown(this.seenIn, r + 1, -1);
      if (this.seenIn[r] === lesson) continue;
      this.seenIn[r] = lesson;
      out.push(r);
    }
  }
}

function grown(a: Int32Array, need: number, fill: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2)).fill(fill);
  b.set(a);
  return b;
}

/**
 * The lessons as the fast join reads them: each insight tokenized for the similarity into interned token
 * ids, its type and key prefix as ids. Equal ids exactly when the token strings, the type and
 * {@link keyPrefix} agree.
 */
export function tokenizeLessons(lessons: readonly TokenSource[], similarity: SimilarityName = 'seed'): TokenizedItems {
  const n = lessons.length;
  const table = new TokenTable();
  const review = similarity === 'review' ? new ReviewIds() : null;
  const seedScratch = review ? new IntList(256) : null;
  // Lessons run ~8-30 tokens; 18 a lesson rarely needs to grow. Shared memory: the join may run in two threads.
  const tokens = new IntList(n * 18 + 16);
  const shared = (length: number): Int32Array => new Int32Array(new SharedArrayBuffer(Math.max(4, length * 4)));
  const offsets = shared(n + 1);
  const typeIds = shared(n);
  const prefixIds = shared(n);
  const types = new Map<string, number>();
  const prefixes = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const l = lessons[i]!;
    let t = types.get(l.type);
    if (t === undefined) types.set(l.type, (t = types.size));
    typeIds[i] = t;
    const prefix = keyPrefix(l.key);
    if (prefix === null) prefixIds[i] = -1;
    else {
      let p = prefixes.get(prefix);
      if (p === undefined) prefixes.set(prefix, (p = prefixes.size));
      prefixIds[i] = p;
    }
    if (review && seedScratch) {
      seedScratch.length = 0;
      table.tokenizeInto(l.insight, seedScratch);
      review.map(table, seedScratch.data, 0, seedScratch.length, i, tokens);
    } else {
      table.tokenizeInto(l.insight, tokens);
    }
    offsets[i + 1] = tokens.length;
  }
  const tokenCount = review ? review.size : table.size;
  return { count: n, offsets, tokens: tokens.view(), tokenCount, typeIds, prefixIds };
}
