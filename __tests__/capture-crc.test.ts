/**
 * The CRC-Py labeled comments as an oracle for "is this a lesson?": authors trusted, every comment a
 * resolved thread, so only the text decides (scripts/measure-crc.ts prints the same figures).
 */
import { describe, expect, it } from '@jest/globals';
import { crcBundles, crcOriginalText, isSyntheticCrc, measureCrc, type CrcRecord } from '../scripts/lib/datasets.js';
import { toLesson } from '../src/core/lesson.js';
import { extractLessons } from '../src/capture/extract.js';
import { readJson } from './support/captureData.js';
import { distillSimilarity, measureRules, type RuleLabel } from '../scripts/lib/measureRules.js';

const records = readJson('crc-py-labeled.json') as CrcRecord[];
const m = measureCrc(records);

describe('CRC-Py measurement', () => {
  it('uses the 1,000 real rows (30 synthetic rows excluded) and the original text', () => {
    expect(records).toHaveLength(1030);
    expect(records.filter(isSyntheticCrc)).toHaveLength(30);
    expect(m.records).toBe(1000);
    const withSuggestion = records.find((r) => r.comment_id === 2411811987)!;
    expect(crcOriginalText(withSuggestion)).toMatch(/^This is a good change! I think we should make this:\n\n```suggestion/);
  });

  it('turns at most 5% of praise + false-positive comments into lessons (questions are no noise measure: the hand labels decide)', () => {
    const praise = m.bySubcategory.praise!;
    const fp = m.bySubcategory['false positive']!;
    expect(praise.records + fp.records).toBe(60);
    expect((praise.lessons + fp.lessons) / (praise.records + fp.records)).toBeLessThanOrEqual(0.05);
  });

  it('does capture directive refactoring/functional comments at a real rate', () => {
    const ref = m.byCategory.refactoring!;
    const fun = m.byCategory.functional!;
    expect(ref.lessons / ref.records).toBeGreaterThan(0.05);
    expect(fun.lessons).toBeGreaterThan(5);
    // Discussion (mostly questions and praise) stays far below the directive categories.
    expect(m.byCategory.discussion!.lessons / m.byCategory.discussion!.records).toBeLessThan(ref.lessons / ref.records / 4);
  });

  it('every captured lesson is a valid row with a clean sentence', () => {
    expect(m.captured.length).toBe(m.lessons);
    for (const c of m.captured) {
      expect(c.insight).toMatch(/^[A-Z`"'(]/);
      expect(c.insight).not.toMatch(/```|<\/?[a-z]+>|\]\(http/);
      expect(c.key).toMatch(/^[a-z]+-[a-z0-9-]+$/);
    }
    const { bundle } = crcBundles(records)[0]!;
    for (const l of extractLessons(bundle, { now: '2026-01-01T00:00:00Z' }).lessons) expect(() => toLesson(l.lesson)).not.toThrow();
  });

  it('the snake_case convention bot text converges on one key', () => {
    const snake = m.captured.filter((c) => /names should follow the `snake_case`/.test(c.insight));
    expect(snake.length).toBeGreaterThan(10);
    expect(new Set(snake.map((c) => c.key)).size).toBe(1);
  });
});

describe('CRC-Py hand labels (crc-py-rules.json): rules captured, themes surfaced', () => {
  const labels = (readJson('crc-py-rules.json') as { labels: RuleLabel[] }).labels;
  const review = measureRules(records, labels, { distill: distillSimilarity('review') });

  it('captures at least half of the labelled rules at a precision of 75% or more', () => {
    expect(review.labelled).toBe(391);
    expect(review.recall).toBeGreaterThanOrEqual(0.5);
    expect(review.precision).toBeGreaterThanOrEqual(0.75);
    expect(review.noise.share).toBeLessThanOrEqual(0.05);
  });

  it('the review similarity surfaces more labelled themes as candidates than mycelium\'s seed similarity', () => {
    const seed = measureRules(records, labels, { distill: distillSimilarity('seed') });
    expect(review.report.similarity).toBe('review');
    expect(seed.report.similarity).toBe('seed');
    expect(review.themes).toHaveLength(11);
    expect(review.themesSurfaced).toBeGreaterThanOrEqual(8); // two thirds of 11, the bar
    expect(review.themesSurfaced).toBeGreaterThan(seed.themesSurfaced);
    // The largest theme is one candidate, made of user-stated lessons from many PRs.
    const hints = review.themes.find((t) => t.theme === 'type-hints-required')!;
    expect(hints.candidate).not.toBeNull();
  });
});
