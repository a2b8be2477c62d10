/**
 * SPEC §8, mycelium's distill test cases, literally, with a fixed clock; plus the §4 facts around them
 * (retired/parked rows, text order, cluster fields, cluster_id, rounding, candidate order, title).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  candidateTitle,
  clusterId,
  clusterLessons,
  describeCluster,
  distill,
  harvestLessons,
  roundHalfEven,
  scoreClusters,
  DEFAULT_SCORE_OPTIONS,
  type Cluster,
  type HarvestedLesson,
  type ScoreOptions,
} from '../src/core/distill.js';
import { jaccard, tokenize } from '../src/core/text.js';
import { formatTimestamp, parseSince, parseTimestamp } from '../src/core/time.js';
import { daysAgo, harvested, NOW, NOW_ISO, row, US_PER_DAY } from './helpers/fixtures.js';

const J = (a: string, b: string): number => jaccard(tokenize(a), tokenize(b));
const cutoff90 = parseSince('90d', NOW);

/** Independent of the code under test: Python's sorted() is code point order; Array.sort() default is UTF-16. */
function expectedClusterId(ids: string[]): string {
  const sorted = [...ids].sort((a, b) => {
    const x = Array.from(a).map((c) => c.codePointAt(0)!);
    const y = Array.from(b).map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
  return 'cl-' + createHash('sha256').update(sorted.join('|'), 'utf8').digest('hex').slice(0, 12);
}

describe('harvest (SPEC §8)', () => {
  it('10 days old is kept, 200 days old is dropped; dropped 0, not truncated', () => {
    const rows = [row({ id: 'fresh', ts: daysAgo(10) }), row({ id: 'old', ts: daysAgo(200) })];
    const h = harvestLessons(rows, { cutoff: cutoff90 });
    expect(h.lessons.map((l) => l.id)).toEqual(['fresh']);
    expect(h.droppedUnparseableTs).toBe(0);

    const report = distill(rows, { now: NOW });
    expect(report.total_lessons_scanned).toBe(1);
    expect(report.dropped_unparseable_ts).toBe(0);
    expect(report.truncated).toBe(false);
  });

  it("ts='not-a-timestamp' → dropped 1, the good row kept", () => {
    const rows = [row({ id: 'bad', ts: 'not-a-timestamp' }), row({ id: 'good', ts: daysAgo(10) })];
    const h = harvestLessons(rows, { cutoff: cutoff90 });
    expect(h.droppedUnparseableTs).toBe(1);
    expect(h.lessons.map((l) => l.id)).toEqual(['good']);
    const report = distill(rows, { now: NOW });
    expect(report.dropped_unparseable_ts).toBe(1);
    expect(report.total_lessons_scanned).toBe(1);
  });

  it('retired rows and rows tagged "parked" are not harvested', () => {
    const rows = [
      row({ id: 'active', tags: '["bash"]' }),
      row({ id: 'retired', retired_at: daysAgo(1) }),
      row({ id: 'parked', tags: '["wip","parked"]' }),
      row({ id: 'parked-like', tags: '["parked-later","unparked"]' }), // not the tag "parked"
      row({ id: 'null-tags', tags: null }),
    ];
    const ids = harvestLessons(rows, { cutoff: cutoff90 }).lessons.map((l) => l.id);
    expect(ids.sort()).toEqual(['active', 'null-tags', 'parked-like']);
  });

  it('the window starts at the cutoff (inclusive) and compares at microsecond precision', () => {
    const since = '2026-03-01T00:00:00.000002Z';
    const rows = [
      row({ id: 'us1', ts: '2026-03-01T00:00:00.000001Z' }),
      row({ id: 'us2', ts: '2026-03-01 00:00:00.000002' }),
      row({ id: 'us3', ts: '2026-03-01T05:30:00.000003+05:30' }),
    ];
    const report = distill(rows, { now: NOW, since });
    expect(report.total_lessons_scanned).toBe(2);
    const h = harvestLessons(rows, { cutoff: parseSince(since, NOW) });
    expect(h.lessons.map((l) => l.id).sort()).toEqual(['us2', 'us3']);
  });

  it('orders by ts descending as stored text (not by instant), ties keep input order', () => {
    const rows = [
      row({ id: 'a', ts: '2026-03-01T06:00:00Z' }), // 06:00 UTC
      row({ id: 'b', ts: '2026-03-01T10:00:00+05:00' }), // 05:00 UTC, but sorts first as text
      row({ id: 'c', ts: '2026-03-02T00:00:00Z' }),
      row({ id: 'd', ts: '2026-03-01T06:00:00Z' }),
    ];
    const ids = harvestLessons(rows, { cutoff: cutoff90 }).lessons.map((l) => l.id);
    expect(ids).toEqual(['c', 'b', 'a', 'd']);
  });

  it('filters by project when asked', () => {
    const rows = [row({ id: 'p1', project: 'acme/app' }), row({ id: 'p2', project: 'acme/other' })];
    expect(harvestLessons(rows, { cutoff: cutoff90, project: 'acme/other' }).lessons.map((l) => l.id)).toEqual(['p2']);
    expect(distill(rows, { now: NOW, project: 'acme/app' }).total_lessons_scanned).toBe(1);
  });

  it('rows of the wrong shape are skipped and counted apart from unparseable ts', () => {
    const rows: unknown[] = [row({ id: 'ok' }), { ...row({ id: 'broken' }), confidence: 'high' }, null];
    const report = distill(rows, { now: NOW });
    expect(report.total_lessons_scanned).toBe(1);
    expect(report.dropped_invalid_rows).toBe(2);
    expect(report.dropped_unparseable_ts).toBe(0);
  });
});

describe('cluster (SPEC §8)', () => {
  const groupsOf = (lessons: HarvestedLesson[]): string[][] => clusterLessons(lessons).map((c) => c.lesson_ids);

  it('same prefix + overlap → 1 (the prefix lowers the bar from 0.34 to 0.15)', () => {
    const a = 'Quote shell variables to prevent word splitting';
    const b = 'Always quote variables in bash test expressions';
    const j = J(a, b);
    expect(j).toBeCloseTo(2 / 12, 12);
    expect(j).toBeGreaterThanOrEqual(0.15);
    expect(j).toBeLessThan(0.34);
    expect(groupsOf([harvested({ id: 'a', key: 'bash-quote-vars', insight: a }), harvested({ id: 'b', key: 'bash-quote-test', insight: b })])).toEqual([
      ['a', 'b'],
    ]);
    // The same pair without a shared prefix stays apart: it was the prefix that joined them.
    expect(groupsOf([harvested({ id: 'a', key: 'sh-quote-vars', insight: a }), harvested({ id: 'b', key: 'bash-quote-test', insight: b })])).toEqual([
      ['a'],
      ['b'],
    ]);
  });

  it('same bash- prefix, zero overlap → 2 (a prefix never merges on its own)', () => {
    const a = 'Use git -C <dir> instead of cd';
    const b = 'Quote every variable expansion';
    expect(J(a, b)).toBe(0);
    expect(groupsOf([harvested({ id: 'a', key: 'bash-cd-git', insight: a }), harvested({ id: 'b', key: 'bash-quote', insight: b })])).toHaveLength(2);
  });

  describe('A~B, B~C (≈0.43), A~C (≈0.11) → 1, transitively', () => {
    const A = harvested({ id: 'A', key: 'sh-quote-vars', insight: 'Shell scripts: always quote variables' });
    const B = harvested({ id: 'B', key: 'bash-quote-expansion', insight: 'Always quote variables; unquoted expansion' });
    const C = harvested({ id: 'C', key: 'zsh-globbing', insight: 'Unquoted variables expansion breaks globbing' });

    it('the texts have those similarities', () => {
      expect(J(A.insight, B.insight)).toBeCloseTo(3 / 7, 15);
      expect(J(B.insight, C.insight)).toBeCloseTo(3 / 7, 15);
      expect(J(A.insight, C.insight)).toBeCloseTo(1 / 9, 15);
      expect(J(A.insight, B.insight)).toBeCloseTo(0.43, 2);
      expect(J(A.insight, C.insight)).toBeCloseTo(0.11, 2);
    });

    it.each([
      [[A, B, C]],
      [[A, C, B]],
      [[C, A, B]],
      [[B, C, A]],
    ])('join into one cluster in any order (%#)', (order) => {
      const clusters = clusterLessons(order);
      expect(clusters).toHaveLength(1);
      expect([...clusters[0]!.lesson_ids].sort()).toEqual(['A', 'B', 'C']);
    });

    it('A and C alone stay apart', () => {
      expect(clusterLessons([A, C])).toHaveLength(2);
    });
  });

  it('different prefixes, near-identical insight → 1', () => {
    const a = 'Use git -C <dir> instead of cd <dir> && git in shell scripts';
    const b = 'Use git -C <dir> instead of cd <dir> && git in CI scripts';
    expect(J(a, b)).toBeGreaterThanOrEqual(0.34);
    expect(groupsOf([harvested({ id: 'a', key: 'bash-cd-git', insight: a }), harvested({ id: 'b', key: 'ci-git-dash-c', insight: b })])).toEqual([
      ['a', 'b'],
    ]);
  });

  it('identical text, different types → 2', () => {
    const text = 'Use git -C <dir> instead of cd <dir> && git in shell scripts';
    const clusters = clusterLessons([
      harvested({ id: 'a', key: 'bash-cd-git', type: 'pattern', insight: text }),
      harvested({ id: 'b', key: 'bash-cd-git', type: 'pitfall', insight: text }),
    ]);
    expect(clusters.map((c) => c.types)).toEqual([['pattern'], ['pitfall']]);
  });

  it('joins exactly at the bars: 0.34 across prefixes, 0.15 within one', () => {
    const words = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}`).join(' ');
    const pair = (a: string, b: string, ka: string, kb: string) =>
      clusterLessons([harvested({ id: 'x', key: ka, insight: a }), harvested({ id: 'y', key: kb, insight: b })]).length;
    expect(J(words(0, 50), words(33, 50))).toBe(0.34);
    expect(pair(words(0, 50), words(33, 50), 'bash-a', 'ts-b')).toBe(1);
    expect(pair(words(0, 50), words(34, 50), 'bash-a', 'ts-b')).toBe(2); // 16/50
    expect(J(words(0, 20), words(17, 20))).toBe(0.15);
    expect(pair(words(0, 20), words(17, 20), 'bash-a', 'bash-b')).toBe(1);
    expect(pair(words(0, 20), words(18, 20), 'bash-a', 'bash-b')).toBe(2); // 2/20
    // Generic prefixes are no prefix: "legacy-" does not lower the bar.
    expect(pair(words(0, 20), words(17, 20), 'legacy-a', 'legacy-b')).toBe(2);
  });

  it('a custom similarity is pluggable', () => {
    const everything = () => 1;
    const lessons = [
      harvested({ id: 'a', insight: 'Use git -C instead of cd in scripts' }),
      harvested({ id: 'b', insight: 'Completely unrelated words about SQL indexes' }),
    ];
    expect(clusterLessons(lessons)).toHaveLength(2);
    expect(clusterLessons(lessons, { similarity: everything })).toHaveLength(1);
  });
});

describe('cluster fields', () => {
  const members = [
    harvested({ id: 'L3', key: 'bash-cd-subshell', type: 'pattern', confidence: 7, retro_pr: 102, skill: 'bash', ts: daysAgo(1) }),
    harvested({ id: 'L10', key: 'bash-cd-git-c', type: 'tool', confidence: 9, retro_pr: 101, skill: null, ts: daysAgo(2), insight: 'first of the nines' }),
    harvested({ id: 'L2', key: 'bash-cd-git-c', type: 'pattern', confidence: 9, retro_pr: null, skill: 'git', ts: daysAgo(3), insight: 'second of the nines' }),
    harvested({ id: 'L1', key: 'bash-cd-errexit', type: 'pattern', confidence: 8, retro_pr: 101, skill: 'bash', ts: daysAgo(4) }),
  ];
  const c = describeCluster(members);

  it('lesson_ids in harvest order; sorted unique member_keys, types, retro_prs (ints) and non-empty subject_skills', () => {
    expect(c.lesson_ids).toEqual(['L3', 'L10', 'L2', 'L1']);
    expect(c.member_keys).toEqual(['bash-cd-errexit', 'bash-cd-git-c', 'bash-cd-subshell']);
    expect(c.types).toEqual(['pattern', 'tool']);
    expect(c.retro_prs).toEqual([101, 102]);
    expect(c.subject_skills).toEqual(['bash', 'git']);
  });

  it('retro_prs sort as numbers, not as text', () => {
    const d = describeCluster([harvested({ id: 'a', retro_pr: 1000 }), harvested({ id: 'b', retro_pr: 99 }), harvested({ id: 'c', retro_pr: 99 })]);
    expect(d.retro_prs).toEqual([99, 1000]);
  });

  it('representative_insight: highest confidence, first on ties', () => {
    expect(c.representative_insight).toBe('first of the nines');
  });

  it('avg_confidence is the raw mean rounded to 2 decimals', () => {
    expect(c.avg_confidence).toBe(8.25); // (7 + 9 + 9 + 8) / 4
  });

  it('member_lessons carry id, key, type, insight, confidence, retro_pr, skill, project, ts', () => {
    expect(c.member_lessons[0]).toEqual({
      id: 'L3',
      key: 'bash-cd-subshell',
      type: 'pattern',
      insight: members[0]!.insight,
      confidence: 7,
      retro_pr: 102,
      skill: 'bash',
      project: 'acme/app',
      ts: members[0]!.ts,
    });
    expect(Object.keys(c.member_lessons[1]!).sort()).toEqual(
      ['confidence', 'id', 'insight', 'key', 'project', 'retro_pr', 'skill', 'ts', 'type'].sort(),
    );
  });

  it('cluster_id = "cl-" + sha256(sorted ids joined by "|")[:12], checked against node:crypto', () => {
    const manual = 'cl-' + createHash('sha256').update('L1|L10|L2|L3').digest('hex').slice(0, 12);
    expect(c.cluster_id).toBe(manual);
    expect(c.cluster_id).toMatch(/^cl-[0-9a-f]{12}$/);
    // Order of members does not matter, membership does.
    expect(describeCluster([...members].reverse()).cluster_id).toBe(manual);
    expect(describeCluster(members.slice(1)).cluster_id).not.toBe(manual);
  });

  it('cluster_id sorts ids as Python does (code points), for any id text', () => {
    for (const ids of [
      ['b', 'a', 'c'],
      ['lsn-2', 'lsn-10', 'lsn-1'],
      ['Z', 'a', '_', '0'],
      ['ｚ', '😀', 'a'], // U+FF5A vs U+1F600: UTF-16 order and code point order disagree
      ['ümlaut', 'zebra', '取代'],
    ]) {
      expect(clusterId(ids)).toBe(expectedClusterId(ids));
    }
  });
});

describe('avg_confidence rounds like Python round(x, 2)', () => {
  it.each<[number, number, number]>([
    [2.675, 2, 2.67], // the binary value is just below .675
    [1.005, 2, 1.0],
    [0.125, 2, 0.12], // exact tie → even
    [0.375, 2, 0.38],
    [2.5, 0, 2],
    [3.5, 0, 4],
    [-2.675, 2, -2.67],
    [22 / 3, 2, 7.33],
    [23 / 3, 2, 7.67],
    [6.995, 2, 7.0], // the binary value is just above .995
    [8.345, 2, 8.35],
  ])('round(%p, %p) = %p', (x, digits, expected) => {
    expect(roundHalfEven(x, digits)).toBe(expected);
  });

  it('through real clusters: 57/8 = 7.125 → 7.12 and 59/8 = 7.375 → 7.38 (ties to even)', () => {
    const of = (confs: number[]) =>
      describeCluster(confs.map((confidence, i) => harvested({ id: `m${i}`, confidence }))).avg_confidence;
    expect(of([7, 7, 7, 7, 7, 7, 7, 8])).toBe(7.12);
    expect(of([7, 7, 7, 7, 7, 7, 8, 9])).toBe(7.38);
    expect(of([7, 7, 8])).toBe(7.33);
    expect(of([8, 8, 7])).toBe(7.67);
  });

  it('the rounded average is what the 7.0 bar sees: 1399/200 = 6.995 rounds to 7.0 and passes', () => {
    const confs = Array.from({ length: 200 }, (_, i) => (i < 199 ? 7 : 6)); // sum 1399
    const members = confs.map((confidence, i) => harvested({ id: `m${i}`, confidence, retro_pr: 100 + (i % 2) }));
    const c = describeCluster(members);
    expect(c.avg_confidence).toBe(7.0);
    expect(scoreClusters([c], DEFAULT_SCORE_OPTIONS)).toHaveLength(1);
  });
});

/** A cluster as mycelium's score tests build them: members, PRs, average confidence and type given directly. */
function clusterOf(opts: { size?: number; prs?: number[]; avg?: number; type?: string; ts?: string[]; keys?: string[] }): Cluster {
  const size = opts.size ?? 3;
  const prs = opts.prs ?? [101, 102];
  const avg = opts.avg ?? 7.5;
  const members = Array.from({ length: size }, (_, i) => ({
    id: `c${size}-${i}-${prs.join('.')}-${avg}-${opts.type ?? 'pattern'}-${(opts.ts ?? []).join('.')}`,
    key: opts.keys?.[i] ?? `bash-cd-${i}`,
    type: opts.type ?? 'pattern',
    insight: `Use git -C instead of cd, variant ${i}`,
    confidence: avg,
    retro_pr: prs[i % prs.length]!,
    skill: 'bash',
    project: 'acme/app',
    ts: opts.ts?.[i] ?? daysAgo(10),
  }));
  return {
    cluster_id: clusterId(members.map((m) => m.id)),
    lesson_ids: members.map((m) => m.id),
    member_keys: [...new Set(members.map((m) => m.key))].sort(),
    types: [opts.type ?? 'pattern'],
    retro_prs: [...new Set(prs)].sort((a, b) => a - b),
    subject_skills: ['bash'],
    avg_confidence: avg,
    representative_insight: members[0]!.insight,
    member_lessons: members,
  };
}

const score = (clusters: Cluster[], over: Partial<ScoreOptions> = {}) =>
  scoreClusters(clusters, { ...DEFAULT_SCORE_OPTIONS, ...over });
const micros = (ts: string) => parseTimestamp(ts)!;

describe('score (SPEC §8)', () => {
  it('3 members, PRs {101,102}, conf 7.5, pattern → 1 candidate, recurrence 2', () => {
    const c = clusterOf({ size: 3, prs: [101, 102], avg: 7.5, type: 'pattern' });
    const out = score([c]);
    expect(out).toHaveLength(1);
    expect(out[0]!.recurrence_pr_count).toBe(2);
    expect(out[0]!.candidate_id).toBe(c.cluster_id);
    expect(out[0]!.cluster).toBe(c);
    expect(out[0]!.has_new_evidence).toBe(true); // no watermark: a first run, everything is new
  });

  it('size 2 → none', () => {
    expect(score([clusterOf({ size: 2 })])).toEqual([]);
  });

  it('one PR → none', () => {
    expect(score([clusterOf({ prs: [101] })])).toEqual([]);
  });

  it('avg 6.0 → none', () => {
    expect(score([clusterOf({ avg: 6.0 })])).toEqual([]);
  });

  it('avg exactly 7.0 → 1', () => {
    expect(score([clusterOf({ avg: 7.0 })])).toHaveLength(1);
    expect(score([clusterOf({ avg: 6.99 })])).toHaveLength(0);
  });

  it('type pitfall → none', () => {
    expect(score([clusterOf({ type: 'pitfall' })])).toEqual([]);
  });

  it.each(['pattern', 'operational', 'tool'])('type %s qualifies', (type) => {
    expect(score([clusterOf({ type })])).toHaveLength(1);
  });

  it.each(['preference', 'architecture', 'investigation'])('type %s does not', (type) => {
    expect(score([clusterOf({ type })])).toHaveLength(0);
  });

  it('all members older than the watermark → none', () => {
    const c = clusterOf({ ts: [daysAgo(10), daysAgo(8), daysAgo(6)] });
    expect(score([c], { watermark: micros(daysAgo(5)) })).toEqual([]);
  });

  it('members 2 days old, watermark 4 days old → 1 with has_new_evidence', () => {
    const c = clusterOf({ ts: [daysAgo(2), daysAgo(2), daysAgo(2)] });
    const out = score([c], { watermark: micros(daysAgo(4)) });
    expect(out).toHaveLength(1);
    expect(out[0]!.has_new_evidence).toBe(true);
  });

  it('two old + one fresh member, watermark 5 days old → 1 with has_new_evidence', () => {
    const c = clusterOf({ ts: [daysAgo(20), daysAgo(10), daysAgo(1)] });
    const out = score([c], { watermark: micros(daysAgo(5)) });
    expect(out).toHaveLength(1);
    expect(out[0]!.has_new_evidence).toBe(true);
  });

  it('newer means strictly newer, at microsecond precision', () => {
    const mark = '2026-03-10T00:00:00.000001Z';
    expect(score([clusterOf({ ts: [mark, mark, '2026-03-10 00:00:00.000001'] })], { watermark: micros(mark) })).toEqual([]);
    expect(score([clusterOf({ ts: [mark, mark, '2026-03-10T00:00:00.000002Z'] })], { watermark: micros(mark) })).toHaveLength(1);
  });

  it('min_cluster=2 lets a pair through', () => {
    const pair = clusterOf({ size: 2, prs: [101, 102], avg: 8 });
    expect(score([pair])).toHaveLength(0);
    const out = score([pair], { minCluster: 2 });
    expect(out).toHaveLength(1);
    expect(out[0]!.recurrence_pr_count).toBe(2);
  });

  it('candidates are sorted by (recurrence_pr_count, avg_confidence) descending', () => {
    const c1 = clusterOf({ prs: [1, 2], avg: 9.0 });
    const c2 = clusterOf({ prs: [1, 2, 3], avg: 7.0 });
    const c3 = clusterOf({ prs: [1, 2, 3], avg: 8.0 });
    const c4 = clusterOf({ prs: [1, 2], avg: 7.5 });
    const c5 = clusterOf({ size: 4, prs: [5, 6, 7, 8], avg: 7.1 });
    const out = score([c1, c2, c3, c4, c5]);
    expect(out.map((c) => [c.recurrence_pr_count, c.cluster.avg_confidence])).toEqual([
      [4, 7.1],
      [3, 8.0],
      [3, 7.0],
      [2, 9.0],
      [2, 7.5],
    ]);
  });
});

describe('candidate title', () => {
  // "The first member key" is read as member_keys[0] (the sorted unique keys), as the code does; the cases below
  // are chosen so that it is also the first member in harvest order.
  it('the common prefix is not doubled on a key that already has it', () => {
    const t = candidateTitle(clusterOf({ keys: ['bash-cd-errexit', 'bash-cd-git-c', 'bash-cd-subshell'] }));
    expect(t).toBe('bash-cd-errexit');
  });

  it('the most common prefix goes in front of a first key with another prefix', () => {
    const t = candidateTitle(clusterOf({ keys: ['ash-cd-builtin', 'bash-cd-git-c', 'bash-cd-subshell'] }));
    expect(t).toBe('bash-ash-cd-builtin');
  });

  it('prefixes are counted over the distinct member keys, not over lessons (as mycelium)', () => {
    // Three lessons share aws-x; two distinct keys start with bash.
    const t = candidateTitle(clusterOf({ size: 5, keys: ['aws-x', 'aws-x', 'aws-x', 'bash-y', 'bash-z'] }));
    expect(t).toBe('bash-aws-x');
  });

  it('"already has the prefix" means starts with the prefix and a dash, case-sensitively (as mycelium)', () => {
    expect(candidateTitle(clusterOf({ keys: ['BASHFUL-x', 'bash-a', 'bash-b'] }))).toBe('bash-BASHFUL-x');
    expect(candidateTitle(clusterOf({ keys: ['Bash-x', 'bash-a', 'ci-b'] }))).toBe('bash-Bash-x');
  });

  it('no usable prefix: the first key as is; at most 60 characters', () => {
    expect(candidateTitle(clusterOf({ keys: ['123-cd', 'legacy-cd', 'lesson-cd'] }))).toBe('123-cd');
    const long = `bash-${'a'.repeat(80)}`; // sorts first among the member keys
    const t = candidateTitle(clusterOf({ keys: [long, 'bash-b', 'bash-c'] }));
    expect(t).toHaveLength(60);
    expect(t).toBe(long.slice(0, 60));
  });
});

describe('DigestReport', () => {
  it('has mycelium’s fields with their meanings', () => {
    const rows = [
      row({ id: 'r1', key: 'bash-cd-a', retro_pr: 101, ts: daysAgo(3) }),
      row({ id: 'r2', key: 'bash-cd-b', retro_pr: 102, ts: daysAgo(2) }),
      row({ id: 'r3', key: 'bash-cd-c', retro_pr: 103, ts: daysAgo(1), confidence: 7 }),
      row({ id: 'bad', ts: 'not-a-timestamp' }),
    ];
    const watermark = micros(daysAgo(2.5));
    const report = distill(rows, { now: NOW, since: '30d', project: 'acme/app', watermark });
    expect(report).toMatchObject({
      version: '1.0',
      generated_at: NOW_ISO,
      since: '30d', // as given, like mycelium's report
      since_cutoff: formatTimestamp(NOW - 30 * US_PER_DAY),
      project: 'acme/app',
      watermark: formatTimestamp(watermark),
      total_lessons_scanned: 3,
      dropped_unparseable_ts: 1,
      truncated: false,
      candidate_count: 1,
    });
    expect(report.candidates).toHaveLength(1);
    const c = report.candidates[0]!;
    expect(c.recurrence_pr_count).toBe(3);
    expect(c.cluster.lesson_ids).toEqual(['r3', 'r2', 'r1']);
    expect(c.cluster.avg_confidence).toBe(7.67);
    // JSON round trip keeps everything (no Sets, no BigInts, no undefined).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('is read-only on the rows it is given', () => {
    const rows = [row({ id: 'r1' }), row({ id: 'r2', retro_pr: 102 }), row({ id: 'r3', retro_pr: 103 })];
    const before = JSON.stringify(rows);
    distill(rows, { now: NOW });
    expect(JSON.stringify(rows)).toBe(before);
  });

  it('an invalid --since is an error', () => {
    expect(() => distill([row()], { now: NOW, since: 'garbage' })).toThrow(/since/);
  });
});
