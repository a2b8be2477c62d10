/**
 * Distill: harvest → cluster → score → DigestReport, mycelium's semantics (SPEC §4), as pure functions.
 * No clock (callers pass `now`), no database: rows come in as plain data.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  clusterLabels,
  clusterLabelsAllPairs,
  DEFAULT_THRESHOLDS,
  type ClusterItem,
  type JoinThresholds,
} from './cluster.js';
import { formatTimestamp, parseSince, parseTimestamp, type EpochMicros } from './time.js';
import { jaccard, keyPrefix, tokenize, type Similarity } from './text.js';

/** The columns distill reads of a lesson row. */
export const HarvestRowSchema = z.object({
  id: z.string(),
  ts: z.string(),
  project: z.string(),
  skill: z.string().nullable(),
  type: z.string(),
  key: z.string(),
  insight: z.string(),
  confidence: z.number(),
  retro_pr: z.number().int().nullable(),
  tags: z.string().nullable(),
  retired_at: z.string().nullable(),
});
export type HarvestRow = z.infer<typeof HarvestRowSchema>;

export interface HarvestedLesson {
  id: string;
  ts: string;
  tsMicros: EpochMicros;
  project: string;
  skill: string | null;
  type: string;
  key: string;
  insight: string;
  confidence: number;
  retro_pr: number | null;
}

export interface Harvest {
  lessons: HarvestedLesson[];
  droppedUnparseableTs: number;
  droppedInvalidRows: number;
}

function taggedParked(tags: string | null): boolean {
  if (!tags || !tags.includes('parked')) return false; // cheap test first: distill reads every row
  try {
    const value: unknown = JSON.parse(tags);
    return Array.isArray(value) && value.includes('parked');
  } catch {
    return false;
  }
}

/**
 * Lessons inside the window, newest first by `ts` as stored (text order; ties keep input order).
 * Retired and parked rows are not harvested; rows whose `ts` does not parse are counted and skipped.
 */
export function harvestLessons(
  rows: Iterable<unknown>,
  opts: { cutoff: EpochMicros; project?: string | null },
): Harvest {
  const lessons: HarvestedLesson[] = [];
  let droppedUnparseableTs = 0;
  let droppedInvalidRows = 0;
  for (const raw of rows) {
    const parsed = HarvestRowSchema.safeParse(raw);
    if (!parsed.success) {
      droppedInvalidRows++;
      continue;
    }
    const row = parsed.data;
    if (opts.project && row.project !== opts.project) continue;
    if (row.retired_at !== null || taggedParked(row.tags)) continue;
    const tsMicros = parseTimestamp(row.ts);
    if (tsMicros === null) {
      droppedUnparseableTs++;
      continue;
    }
    if (tsMicros < opts.cutoff) continue;
    lessons.push({
      id: row.id,
      ts: row.ts,
      tsMicros,
      project: row.project,
      skill: row.skill,
      type: row.type,
      key: row.key,
      insight: row.insight,
      confidence: row.confidence,
      retro_pr: row.retro_pr,
    });
  }
  // Stable, and O(n) when the store already returned them in this order.
  lessons.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
  return { lessons, droppedUnparseableTs, droppedInvalidRows };
}

export interface MemberLesson {
  id: string;
  key: string;
  type: string;
  insight: string;
  confidence: number;
  retro_pr: number | null;
  skill: string | null;
  project: string;
  ts: string;
}

export interface Cluster {
  cluster_id: string;
  lesson_ids: string[];
  member_keys: string[];
  types: string[];
  retro_prs: number[];
  subject_skills: string[];
  avg_confidence: number;
  representative_insight: string;
  member_lessons: MemberLesson[];
}

/** Python's round(x, ndigits): correctly rounded on the exact binary value, ties to even. */
export function roundHalfEven(x: number, digits: number): number {
  const exact = Math.abs(x).toFixed(60); // exact decimal expansion of the double
  const [intPart, frac = ''] = exact.split('.');
  const kept = frac.slice(0, digits);
  const rest = frac.slice(digits);
  let scaled = BigInt(intPart + kept);
  const firstRest = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1).replace(/0+$/, '');
  if (firstRest > 5 || (firstRest === 5 && (tail.length > 0 || scaled % 2n === 1n))) scaled += 1n;
  const value = Number(scaled) / 10 ** digits;
  return x < 0 ? -value : value;
}

const sortedUnique = <T extends string | number>(values: Iterable<T>): T[] =>
  Array.from(new Set(values)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Python's str order (code points). JS `<` compares UTF-16 units, which puts U+10000.. below U+E000..U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800; // surrogates above U+E000..U+FFFF
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

export function clusterId(lessonIds: readonly string[]): string {
  const sorted = [...lessonIds].sort(compareCodePoints);
  return 'cl-' + createHash('sha256').update(sorted.join('|')).digest('hex').slice(0, 12);
}

export function describeCluster(members: readonly HarvestedLesson[]): Cluster {
  let representative = members[0]!;
  let sum = 0;
  for (const m of members) {
    sum += m.confidence;
    if (m.confidence > representative.confidence) representative = m;
  }
  const ids = members.map((m) => m.id);
  return {
    cluster_id: clusterId(ids),
    lesson_ids: ids,
    member_keys: sortedUnique(members.map((m) => m.key)),
    types: sortedUnique(members.map((m) => m.type)),
    retro_prs: sortedUnique(members.flatMap((m) => (m.retro_pr === null ? [] : [m.retro_pr]))),
    subject_skills: sortedUnique(members.flatMap((m) => (m.skill ? [m.skill] : []))),
    avg_confidence: roundHalfEven(sum / members.length, 2),
    representative_insight: representative.insight,
    member_lessons: members.map((m) => ({
      id: m.id,
      key: m.key,
      type: m.type,
      insight: m.insight,
      confidence: m.confidence,
      retro_pr: m.retro_pr,
      skill: m.skill,
      project: m.project,
      ts: m.ts,
    })),
  };
}

export interface ClusterOptions {
  thresholds?: JoinThresholds;
  /** A custom similarity forces the pair-by-pair path; Jaccard (the default) uses the exact fast join. */
  similarity?: Similarity;
  /** Only clusters with at least this many members are described (the rest cannot score). */
  minSize?: number;
}

/** Groups of harvested lessons (indices into `lessons`), ordered by their first member, members in harvest order. */
export function clusterGroups(lessons: readonly HarvestedLesson[], opts: ClusterOptions = {}): number[][] {
  const items: ClusterItem[] = lessons.map((l) => ({
    type: l.type,
    prefix: keyPrefix(l.key),
    tokens: tokenize(l.insight),
  }));
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const labels =
    opts.similarity && opts.similarity !== jaccard
      ? clusterLabelsAllPairs(items, thresholds, opts.similarity)
      : clusterLabels(items, thresholds);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    let g = groups.get(label);
    if (!g) groups.set(label, (g = []));
    g.push(i);
  }
  return Array.from(groups.values()); // labels are first members, so Map order is first-member order
}

export function clusterLessons(lessons: readonly HarvestedLesson[], opts: ClusterOptions = {}): Cluster[] {
  const minSize = opts.minSize ?? 1;
  return clusterGroups(lessons, opts)
    .filter((g) => g.length >= minSize)
    .map((g) => describeCluster(g.map((i) => lessons[i]!)));
}

export const CANDIDATE_TYPES: ReadonlySet<string> = new Set(['pattern', 'operational', 'tool']);

export interface ScoreOptions {
  minCluster: number;
  minDistinctPrs: number;
  minAvgConfidence: number;
  watermark: EpochMicros | null;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = {
  minCluster: 3,
  minDistinctPrs: 2,
  minAvgConfidence: 7.0,
  watermark: null,
};

export interface Candidate {
  candidate_id: string;
  title: string;
  recurrence_pr_count: number;
  has_new_evidence: boolean;
  cluster: Cluster;
}

/** The most common key prefix (first seen on ties) in front of the first member key, never doubled. */
export function candidateTitle(cluster: Cluster): string {
  const counts = new Map<string, number>();
  for (const m of cluster.member_lessons) {
    const p = keyPrefix(m.key);
    if (p !== null) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [p, c] of counts) {
    if (c > bestCount) {
      best = p;
      bestCount = c;
    }
  }
  const firstKey = cluster.member_keys[0] ?? '';
  const title = best === null || firstKey.toLowerCase().startsWith(best) ? firstKey : `${best}-${firstKey}`;
  return title.slice(0, 60);
}

export function scoreClusters(clusters: readonly Cluster[], opts: ScoreOptions, tsMicros: (ts: string) => EpochMicros | null = parseTimestamp): Candidate[] {
  const candidates: Candidate[] = [];
  for (const cluster of clusters) {
    if (cluster.lesson_ids.length < opts.minCluster) continue;
    if (cluster.retro_prs.length < opts.minDistinctPrs) continue;
    if (cluster.avg_confidence < opts.minAvgConfidence) continue;
    if (!cluster.types.some((t) => CANDIDATE_TYPES.has(t))) continue;
    let hasNew = true;
    if (opts.watermark !== null) {
      const mark = opts.watermark;
      hasNew = cluster.member_lessons.some((m) => {
        const t = tsMicros(m.ts);
        return t !== null && t > mark;
      });
      if (!hasNew) continue;
    }
    candidates.push({
      candidate_id: cluster.cluster_id,
      title: candidateTitle(cluster),
      recurrence_pr_count: cluster.retro_prs.length,
      has_new_evidence: hasNew,
      cluster,
    });
  }
  // Stable: equal scores keep cluster order.
  return candidates.sort(
    (a, b) =>
      b.recurrence_pr_count - a.recurrence_pr_count || b.cluster.avg_confidence - a.cluster.avg_confidence,
  );
}

export interface DigestReport {
  version: '1.0';
  generated_at: string;
  since: string;
  project: string | null;
  watermark: string | null;
  total_lessons_scanned: number;
  dropped_unparseable_ts: number;
  truncated: boolean;
  candidate_count: number;
  candidates: Candidate[];
  /** Ours: rows whose shape did not validate (wrong column types); skipped like unparseable `ts`. */
  dropped_invalid_rows: number;
  /** Ours: how many clusters the harvest formed, candidates or not. */
  cluster_count: number;
}

export interface DistillOptions {
  now: EpochMicros;
  since?: string;
  project?: string | null;
  minCluster?: number;
  minDistinctPrs?: number;
  minAvgConfidence?: number;
  watermark?: EpochMicros | null;
  thresholds?: JoinThresholds;
  similarity?: Similarity;
  /** Told the wall time (ms) of each stage as it ends: for benchmarks and diagnostics, never for results. */
  onStage?: (stage: DistillStage, ms: number) => void;
}

/** harvest: read, validate, filter and tokenize rows; cluster: the join; score: describe, score, report. */
export type DistillStage = 'harvest' | 'cluster' | 'score';

/** The whole pipeline over plain rows. Read-only: rows are not changed. */
export function distill(rows: Iterable<unknown>, opts: DistillOptions): DigestReport {
  const since = opts.since ?? '90d';
  const cutoff = parseSince(since, opts.now);
  const project = opts.project ?? null;
  const watermark = opts.watermark ?? null;
  const onStage = opts.onStage;
  let mark = onStage ? performance.now() : 0;
  const stageEnd = (stage: DistillStage): void => {
    if (!onStage) return;
    const t = performance.now();
    onStage(stage, t - mark);
    mark = t;
  };
  const harvest = harvestLessons(rows, { cutoff, project });
  stageEnd('harvest');
  const score: ScoreOptions = {
    minCluster: opts.minCluster ?? DEFAULT_SCORE_OPTIONS.minCluster,
    minDistinctPrs: opts.minDistinctPrs ?? DEFAULT_SCORE_OPTIONS.minDistinctPrs,
    minAvgConfidence: opts.minAvgConfidence ?? DEFAULT_SCORE_OPTIONS.minAvgConfidence,
    watermark,
  };
  const groups = clusterGroups(harvest.lessons, {
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    ...(opts.similarity ? { similarity: opts.similarity } : {}),
  });
  stageEnd('cluster');
  const clusters = groups
    .filter((g) => g.length >= score.minCluster)
    .map((g) => describeCluster(g.map((i) => harvest.lessons[i]!)));
  const candidates = scoreClusters(clusters, score);
  const report: DigestReport = {
    version: '1.0',
    generated_at: formatTimestamp(opts.now),
    since: formatTimestamp(cutoff),
    project,
    watermark: watermark === null ? null : formatTimestamp(watermark),
    total_lessons_scanned: harvest.lessons.length,
    dropped_unparseable_ts: harvest.droppedUnparseableTs,
    truncated: false,
    candidate_count: candidates.length,
    candidates,
    dropped_invalid_rows: harvest.droppedInvalidRows,
    cluster_count: groups.length,
  };
  stageEnd('score');
  return report;
}
