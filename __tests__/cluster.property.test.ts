import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clusterLabels, clusterLabelsAllPairs, type ClusterItem } from '../src/core/cluster/index.js';
import { keyPrefix, tokenize } from '../src/core/text.js';
import { clusterItemsFor, tokenizeLessons } from '../src/core/lessonTokens.js';
import { clusterLabelsTokenized } from '../src/core/cluster/index.js';

// A small vocabulary makes overlaps (and threshold edges) common; CJK runs add bigram tokens.
// Stop words and inflected forms too, so that the review similarity drops and folds some of them.
const WORDS = ['git', 'cd', 'use', 'the', 'bash', 'quote', 'vars', 'ts', 'any', 'null', 'x1', '42', 'retry', 'api', 'sql', 'index', 'should', 'retries', 'retrying', 'quotes', 'indexes'];
const CJK = ['用', '取', '代', '目', '录', '命', '令'];
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...CJK), { minLength: 1, maxLength: 4 }).map((cs) => cs.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
);
const insight = fc.array(word, { minLength: 0, maxLength: 9 }).map((ws) => ws.join(' '));
const key = fc
  .tuple(fc.constantFrom('bash', 'ts', 'ci', 'legacy', 'the', '123', '', 'Bash', 'sql'), fc.constantFrom('cd', 'x', 'quote-vars', ''))
  .map(([p, s]) => (s ? `${p}-${s}` : p));
const lesson = fc.record({
  type: fc.constantFrom('pattern', 'pitfall', 'tool'),
  key,
  insight,
});

function items(ls: { type: string; key: string; insight: string }[]): ClusterItem[] {
  return ls.map((l) => ({ type: l.type, prefix: keyPrefix(l.key), tokens: tokenize(l.insight) }));
}

describe('fast clustering equals the all-pairs definition', () => {
  it('on random lessons (CJK, generic and numeric prefixes, empty token sets)', () => {
    let joined = 0;
    fc.assert(
      fc.property(fc.array(lesson, { maxLength: 60, size: 'max' }), (ls) => {
        const its = items(ls);
        const expected = Array.from(clusterLabelsAllPairs(its));
        if (expected.some((label, i) => label !== i)) joined++;
        expect(Array.from(clusterLabels(its))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // The inputs must exercise joins, not only singletons, or the equality above proves little.
    expect(joined).toBeGreaterThan(1000);
  });

  it('at threshold edges: pairs whose Jaccard sits exactly on or just off 0.34 and 0.15', () => {
    // |A∩B| / |A∪B| hits 17/50 = 0.34 and 3/20 = 0.15 exactly; one token more or less crosses the bar.
    const set = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}`).join(' ');
    const cases = [
      [set(0, 50), set(33, 50)], // 17/50
      [set(0, 50), set(34, 50)], // 16/50
      [set(0, 20), set(17, 20)], // 3/20
      [set(0, 20), set(18, 20)], // 2/20
      [set(0, 33), set(16, 50)], // 17/50
      [set(0, 34), set(17, 51)], // 17/51
    ];
    for (const [a, b] of cases) {
      for (const [ka, kb] of [
        ['bash-a', 'bash-b'],
        ['bash-a', 'ts-b'],
      ]) {
        const its = items([
          { type: 'pattern', key: ka!, insight: a! },
          { type: 'pattern', key: kb!, insight: b! },
        ]);
        expect(Array.from(clusterLabels(its))).toEqual(Array.from(clusterLabelsAllPairs(its)));
      }
    }
  });

  it('with random thresholds', () => {
    fc.assert(
      fc.property(
        fc.array(lesson, { maxLength: 40 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (ls, base, samePrefix) => {
          const its = items(ls);
          const t = { base, samePrefix };
          expect(Array.from(clusterLabels(its, t))).toEqual(Array.from(clusterLabelsAllPairs(its, t)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses thresholds outside (0, 1]', () => {
    expect(() => clusterLabels([], { base: 0, samePrefix: 0.15 })).toThrow(/base must be in \(0, 1\]/);
  });

  for (const similarity of ['seed', 'review'] as const) {
    it(`distill's path (tokenizeLessons + join) equals all pairs with the ${similarity} similarity`, () => {
      let joined = 0;
      fc.assert(
        fc.property(
          fc.array(lesson, { maxLength: 60, size: 'max' }),
          fc.double({ min: 0.01, max: 1, noNaN: true }),
          fc.double({ min: 0.01, max: 1, noNaN: true }),
          fc.boolean(),
          (ls, base, samePrefix, defaults) => {
            const t = defaults ? { base: 0.34, samePrefix: 0.15 } : { base, samePrefix };
            const expected = Array.from(clusterLabelsAllPairs(clusterItemsFor(ls, similarity), t));
            if (expected.some((label, i) => label !== i)) joined++;
            expect(Array.from(clusterLabelsTokenized(tokenizeLessons(ls, similarity), t))).toEqual(expected);
          },
        ),
        { numRuns: 1500 },
      );
      expect(joined).toBeGreaterThan(300);
    });
  }
});
