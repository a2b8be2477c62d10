/**
 * Distill: harvest → cluster → score → DigestReport, mycelium's semantics (docs/distill.md), as pure functions.
 * No clock (callers pass `now`), no database: rows come in as plain data.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  clusterLabelsAllPairs,
  clusterLabelsTokenized,
  DEFAULT_THRESHOLDS,
  type JoinRunStats,
  type JoinThreads,
  type JoinThresholds,
  type TokenizedItems,
} from './cluster/index.js';
import { clusterItemsFor, DEFAULT_SIMILARITY, tokenizeLessons, type SimilarityName } from './lessonTokens.js';
import { daysInMonth, epochDays, formatTimestamp, parseSince, parseTimestamp, type EpochMicros } from './time.js';
import { keyPrefix, type Similarity } from './text.js';

/** The columns distill reads of a lesson row. {@link isHarvestRow} is the same test, without zod's per-row cost. */
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

/** `HarvestRowSchema.safeParse(raw).success`, by hand: distill checks every row, and a million of them add up. */
export function isHarvestRow(raw: unknown): raw is HarvestRow {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  return checkRow(r.id, r.ts, r.project, r.skill, r.type, r.key, r.insight, r.confidence, r.retro_pr, r.tags, r.retired_at);
}

function checkRow(
  id: unknown,
  ts: unknown,
  project: unknown,
  skill: unknown,
  type: unknown,
  key: unknown,
  insight: unknown,
  confidence: unknown,
  retroPr: unknown,
  tags: unknown,
  retiredAt: unknown,
): boolean {
  return (
    typeof id === 'string' &&
    typeof ts === 'string' &&
    typeof project === 'string' &&
    (skill === null || typeof skill === 'string') &&
    typeof type === 'string' &&
    typeof key === 'string' &&
    typeof insight === 'string' &&
    typeof confidence === 'number' &&
    Number.isFinite(confidence) && // z.number() refuses NaN and ±Infinity
    (retroPr === null || (typeof retroPr === 'number' && Number.isSafeInteger(retroPr))) && // .int(): safe integers
    (tags === null || typeof tags === 'string') &&
    (retiredAt === null || typeof retiredAt === 'string')
  );
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * {@link parseTimestamp}, with a fast path for the form lessons are written in
 * (`YYYY-MM-DDTHH:MM:SS`, an optional `.fraction` of 1–9 digits, an optional `Z`); anything else goes
 * to the full parser. Same results, same nulls.
 */
export function parseHarvestTimestamp(s: string): EpochMicros | null {
  const n = s.length;
  if (
    n < 19 ||
    n > 30 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58
  ) {
    return parseTimestamp(s);
  }
  let end = n;
  if (s.charCodeAt(end - 1) === 90) end--; // Z
  let micros = 0;
  if (end > 19) {
    const digits = end - 20;
    if (s.charCodeAt(19) !== 46 || digits < 1 || digits > 9) return parseTimestamp(s); // .
    for (let i = 20; i < end; i++) {
      const c = s.charCodeAt(i);
      if (!isDigit(c)) return parseTimestamp(s);
      if (i < 26) micros = micros * 10 + (c - 48);
    }
    for (let i = Math.min(end, 26); i < 26; i++) micros *= 10; // padEnd(6, '0')
  }
  let v = 0;
  const num = (from: number, to: number): number => {
    let x = 0;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (!isDigit(c)) v = -1;
      x = x * 10 + (c - 48);
    }
    return x;
  };
  const year = num(0, 4);
  const month = num(5, 7);
  const day = num(8, 10);
  const hour = num(11, 13);
  const minute = num(14, 16);
  const second = num(17, 19);
  if (v < 0) return parseTimestamp(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = (epochDays(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second) * 1000;
  return ms * 1000 + micros;
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
    // Each column read once, checked as HarvestRowSchema would (see isHarvestRow).
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      droppedInvalidRows++;
      continue;
    }
    const r = raw as Record<string, unknown>;
    const id = r.id;
    const ts = r.ts;
    const project = r.project;
    const skill = r.skill;
    const type = r.type;
    const key = r.key;
    const insight = r.insight;
    const confidence = r.confidence;
    const retroPr = r.retro_pr;
    const tags = r.tags;
    const retiredAt = r.retired_at;
    if (!checkRow(id, ts, project, skill, type, key, insight, confidence, retroPr, tags, retiredAt)) {
      droppedInvalidRows++;
      continue;
    }
    if (opts.project && project !== opts.project) continue;
    if (retiredAt !== null || taggedParked(tags as string | null)) continue;
    const tsMicros = parseHarvestTimestamp(ts as string);
    if (tsMicros === null) {
      droppedUnparseableTs++;
      continue;
    }
    if (tsMicros < opts.cutoff) continue;
    lessons.push({
      id: id as string,
      ts: ts as string,
      tsMicros,
      project: project as string,
      skill: skill as string | null,
      type: type as string,
      key: key as string,
      insight: insight as string,
      confidence: confidence as number,
      retro_pr: retroPr as number | null,
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
  /**
   * `seed` or `review` (Jaccard over those token sets, by the exact fast join; default review), or a
   * custom similarity function over seed tokens, which forces the pair-by-pair path.
   */
  similarity?: SimilarityName | Similarity;
  /** Only clusters with at least this many members are described (the rest cannot score). */
  minSize?: number;
  /** Threads for the join (the caller's choice; default: this thread only). */
  threads?: JoinThreads;
  /** Told how the join ran (benchmarks, diagnostics). */
  onJoin?: (stats: JoinRunStats) => void;
}

/** The similarity's name as the report gives it. */
export function similarityName(s: ClusterOptions['similarity']): SimilarityName | 'custom' {
  return s === undefined ? DEFAULT_SIMILARITY : typeof s === 'string' ? s : 'custom';
}

function groupsOfLabels(labels: Int32Array): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    let g = groups.get(label);
    if (!g) groups.set(label, (g = []));
    g.push(i);
  }
  return Array.from(groups.values()); // labels are first members, so Map order is first-member order
}

/** Groups of harvested lessons (indices into `lessons`), ordered by their first member, members in harvest order. */
export function clusterGroups(lessons: readonly HarvestedLesson[], opts: ClusterOptions = {}): number[][] {
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const similarity = opts.similarity ?? DEFAULT_SIMILARITY;
  if (typeof similarity === 'function') {
    return groupsOfLabels(clusterLabelsAllPairs(clusterItemsFor(lessons, 'seed'), thresholds, similarity));
  }
  return groupsOfTokenized(tokenizeLessons(lessons, similarity), thresholds, opts);
}

function groupsOfTokenized(tokenized: TokenizedItems, thresholds: JoinThresholds, opts: ClusterOptions): number[][] {
  return groupsOfLabels(
    clusterLabelsTokenized(tokenized, thresholds, {
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.onJoin ? { onRun: opts.onJoin } : {}),
    }),
  );
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
  // As mycelium: the prefixes of the distinct member keys; the most common one (ties: the first in key
  // order) goes in front of the first key, unless that key already starts with it and a dash.
  const counts = new Map<string, number>();
  for (const k of cluster.member_keys) {
    const p = keyPrefix(k);
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
  const head = cluster.member_keys[0] ?? cluster.cluster_id;
  const title = best === null || head.startsWith(`${best}-`) ? head : `${best}-${head}`;
  return Array.from(title).slice(0, 60).join(''); // 60 characters, not UTF-16 units
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

/**
 * False when {@link scoreClusters} would certainly reject the cluster these members form: the same tests on
 * the same values (distinct PRs, rounded average confidence, types, new evidence), without describing it.
 */
function mayScore(members: readonly HarvestedLesson[], opts: ScoreOptions): boolean {
  if (!members.some((m) => CANDIDATE_TYPES.has(m.type))) return false;
  let sum = 0;
  for (const m of members) sum += m.confidence;
  if (roundHalfEven(sum / members.length, 2) < opts.minAvgConfidence) return false;
  const prs = new Set<number>();
  for (const m of members) if (m.retro_pr !== null) prs.add(m.retro_pr);
  if (prs.size < opts.minDistinctPrs) return false;
  if (opts.watermark !== null) {
    const mark = opts.watermark;
    if (!members.some((m) => {
      const t = parseTimestamp(m.ts);
      return t !== null && t > mark;
    })) return false;
  }
  return true;
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
  /** Ours: the harvest window's start that `since` (as given, e.g. `90d`) meant at `generated_at`. */
  since_cutoff?: string;
  /** Ours: the similarity the clusters were formed by: `seed` (mycelium's), `review`, or `custom`. */
  similarity?: SimilarityName | 'custom';
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
  /** See {@link ClusterOptions.similarity}; default `review`. */
  similarity?: SimilarityName | Similarity;
  /** Threads for the join, from the caller (core reads no environment); default: this thread only. */
  threads?: JoinThreads;
  /** Told how the join ran (benchmarks, diagnostics). */
  onJoin?: (stats: JoinRunStats) => void;
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
  const clusterOpts: ClusterOptions = {
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    ...(opts.similarity ? { similarity: opts.similarity } : {}),
    ...(opts.threads ? { threads: opts.threads } : {}),
    ...(opts.onJoin ? { onJoin: opts.onJoin } : {}),
  };
  const similarity = opts.similarity ?? DEFAULT_SIMILARITY;
  // Tokenizing belongs to the harvest stage (it reads every lesson); the custom-similarity path tokenizes its own way.
  const tokenized = typeof similarity === 'string' ? tokenizeLessons(harvest.lessons, similarity) : null;
  stageEnd('harvest');
  const score: ScoreOptions = {
    minCluster: opts.minCluster ?? DEFAULT_SCORE_OPTIONS.minCluster,
    minDistinctPrs: opts.minDistinctPrs ?? DEFAULT_SCORE_OPTIONS.minDistinctPrs,
    minAvgConfidence: opts.minAvgConfidence ?? DEFAULT_SCORE_OPTIONS.minAvgConfidence,
    watermark,
  };
  const groups = tokenized
    ? groupsOfTokenized(tokenized, opts.thresholds ?? DEFAULT_THRESHOLDS, clusterOpts)
    : clusterGroups(harvest.lessons, clusterOpts);
  stageEnd('cluster');
  // Only clusters that can score are described (scoreClusters applies the same tests again): a big
  // harvest forms many clusters, and describing them all would copy most of it.
  const clusters = groups
    .filter((g) => g.length >= score.minCluster)
    .map((g) => g.map((i) => harvest.lessons[i]!))
    .filter((members) => mayScore(members, score))
    .map(describeCluster);
  const candidates = scoreClusters(clusters, score);
  const report: DigestReport = {
    version: '1.0',
    generated_at: formatTimestamp(opts.now),
    since, // as given, like mycelium (`90d` or a timestamp); since_cutoff has the instant
    project,
    watermark: watermark === null ? null : formatTimestamp(watermark),
    total_lessons_scanned: harvest.lessons.length,
    dropped_unparseable_ts: harvest.droppedUnparseableTs,
    truncated: false,
    candidate_count: candidates.length,
    candidates,
    dropped_invalid_rows: harvest.droppedInvalidRows,
    cluster_count: groups.length,
    since_cutoff: formatTimestamp(cutoff),
    similarity: similarityName(similarity),
  };
  stageEnd('score');
  return report;
}
