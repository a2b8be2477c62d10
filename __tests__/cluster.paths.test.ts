import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  clusterLabelsAllPairs,
  clusterLabelsTokenized,
  type JoinRunStats,
  tokenizedFromItems,
  type ClusterItem,
  type JoinTuning,
} from '../src/core/cluster/index.js';
import { keyPrefix, tokenize } from '../src/core/text.js';
import { syntheticLessons } from '../bench/generate.js';
import { clusterThreads } from '../src/adapters/clusterThreads.js';

// The fast join switches between single-token and frequent-pair postings, and has a separate path for
// lessons so short that one common token can be enough. The tuning knobs never change the labels; turned
// down, they force every path on small inputs.

// A skewed vocabulary: a few words in most lessons, a tail of rare ones, so both kinds of postings fill up.
const COMMON = ['the', 'use', 'when', 'to', 'avoid', 'in'];
const TAIL = Array.from({ length: 60 }, (_, i) => `w${i}`);
const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COMMON) },
  { weight: 5, arbitrary: fc.constantFrom(...TAIL.slice(0, 12)) },
  { weight: 3, arbitrary: fc.constantFrom(...TAIL) },
);
const lesson = fc.record({
  type: fc.constantFrom('pattern', 'pitfall'),
  key: fc.constantFrom('bash-a', 'bash-b', 'ts-a', 'legacy-x', 'ci-z'),
  insight: fc.oneof(
    { weight: 4, arbitrary: fc.array(word, { minLength: 1, maxLength: 18 }).map((ws) => ws.join(' ')) },
    { weight: 1, arbitrary: fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' ')) },
  ),
});
const tuning: fc.Arbitrary<Partial<JoinTuning>> = fc.record({
  frequentShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
  frequentShareType: fc.double({ min: 0, max: 0.5, noNaN: true }),
  frequentMinDf: fc.integer({ min: 0, max: 10 }),
  maxFrequent: fc.integer({ min: 2, max: 40 }),
  pairMinGroup: fc.integer({ min: 2, max: 30 }),
  giantMin: fc.integer({ min: 1, max: 12 }),
});

function items(ls: { type: string; key: string; insight: string }[]): ClusterItem[] {
  return ls.map((l) => ({ type: l.type, prefix: keyPrefix(l.key), tokens: tokenize(l.insight) }));
}

describe('every path of the fast join gives the all-pairs labels', () => {
  it('with frequent-pair postings forced on (default thresholds)', () => {
    fc.assert(
      fc.property(fc.array(lesson, { minLength: 2, maxLength: 80 }), tuning, (ls, tu) => {
        const its = items(ls);
        expect(Array.from(clusterLabelsTokenized(tokenizedFromItems(its), undefined, { tuning: tu }))).toEqual(
          Array.from(clusterLabelsAllPairs(its)),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('with frequent-pair postings forced on and random thresholds', () => {
    fc.assert(
      fc.property(
        fc.array(lesson, { minLength: 2, maxLength: 60 }),
        tuning,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (ls, tu, base, samePrefix) => {
          const its = items(ls);
          const t = { base, samePrefix };
          expect(Array.from(clusterLabelsTokenized(tokenizedFromItems(its), t, { tuning: tu }))).toEqual(
            Array.from(clusterLabelsAllPairs(its, t)),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('on 2,500 synthetic lessons from the benchmark generator, with default and with forced tuning', () => {
    const ls = Array.from(syntheticLessons(2500, 7));
    const its = items(ls.map((l) => ({ type: l.type, key: l.key, insight: l.insight })));
    const expected = Array.from(clusterLabelsAllPairs(its));
    expect(new Set(expected).size).toBeLessThan(its.length - 100); // real clusters form
    const input = tokenizedFromItems(its);
    expect(Array.from(clusterLabelsTokenized(input))).toEqual(expected);
    for (const tu of [
      { frequentShare: 0, frequentShareType: 0, frequentMinDf: 0, pairMinGroup: 2, giantMin: 2 },
      { frequentShare: 0.05, frequentShareType: 0.01, frequentMinDf: 3, maxFrequent: 6, pairMinGroup: 2, giantMin: 8 },
      { frequentShare: 0.2, frequentShareType: 0.2, frequentMinDf: 16, pairMinGroup: 100, giantMin: 1000 },
    ]) {
      expect(Array.from(clusterLabelsTokenized(input, undefined, { tuning: tu }))).toEqual(expected);
    }
  });

  it('when a worker thread takes part (types shared between two threads)', () => {
    const ls = Array.from(syntheticLessons(1500, 11));
    const its = items(ls.map((l) => ({ type: l.type, key: l.key, insight: l.insight })));
    const expected = Array.from(clusterLabelsAllPairs(its));
    let stats: JoinRunStats | undefined;
    const labels = clusterLabelsTokenized(tokenizedFromItems(its), undefined, {
      tuning: { parallelMinItems: 0, workerHeadStartMs: 10_000, pairMinGroup: 2, giantMin: 4 },
      threads: { ...clusterThreads({ threads: 2 }) },
      onRun: (s) => (stats = s),
    });
    expect(Array.from(labels)).toEqual(expected);
    // The worker (src/core/cluster/worker.ts, run through tsx) claimed units, and none failed.
    expect(stats?.threads).toBe(2);
    expect(stats?.workerUnits).toBeGreaterThan(0);
    expect(stats?.workerFailed).toBe(false);
  });

  it('when the worker is the committed bundle (dist/cluster-worker/index.js, as the action and CLI start it)', () => {
    const ls = Array.from(syntheticLessons(1500, 13));
    const its = items(ls.map((l) => ({ type: l.type, key: l.key, insight: l.insight })));
    let stats: JoinRunStats | undefined;
    const labels = clusterLabelsTokenized(tokenizedFromItems(its), undefined, {
      tuning: { parallelMinItems: 0, workerHeadStartMs: 10_000, pairMinGroup: 2, giantMin: 4 },
      threads: { threads: 2, workerUrl: new URL('../dist/cluster-worker/index.js', import.meta.url) },
      onRun: (s) => (stats = s),
    });
    expect(Array.from(labels)).toEqual(Array.from(clusterLabelsAllPairs(its)));
    expect(stats?.workerUnits).toBeGreaterThan(0);
    expect(stats?.workerFailed).toBe(false);
  });

  it('when the worker cannot start: the calling thread does all the units, same labels', () => {
    const ls = Array.from(syntheticLessons(600, 5));
    const its = items(ls.map((l) => ({ type: l.type, key: l.key, insight: l.insight })));
    let stats: JoinRunStats | undefined;
    const labels = clusterLabelsTokenized(tokenizedFromItems(its), undefined, {
      tuning: { parallelMinItems: 0, workerHeadStartMs: 200 },
      threads: { threads: 2, workerUrl: new URL('./no-such-worker.js', import.meta.url) },
      onRun: (s) => (stats = s),
    });
    expect(Array.from(labels)).toEqual(Array.from(clusterLabelsAllPairs(its)));
    expect(stats?.workerUnits).toBe(0);
  });
});
