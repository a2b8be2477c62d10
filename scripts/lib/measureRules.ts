/**
 * Capture and distill measured against the hand labels of crc-py-rules.json (400 CRC-Py comments: is it a
 * reusable rule, its theme). Pure: callers read the files.
 *
 * The PRs are captured one after another, oldest first, each with the lessons of the earlier ones as the
 * store (so key reuse and the recurrence bonus act as they do in a repository over time), then distill runs
 * once over everything captured, as the weekly run would.
 */
import { extractLessons, type CaptureContext, type ExistingLesson } from '../../src/capture/extract.js';
import { distill, type DigestReport, type DistillOptions } from '../../src/core/distill.js';
import { parseTimestamp } from '../../src/core/time.js';
import { crcBundles, isSyntheticCrc, type CrcRecord } from './datasets.js';

export interface RuleLabel {
  index: number;
  rule: boolean;
  rule_text?: string;
  theme?: string;
  form?: string;
  notes?: string;
}

export interface CapturedRecord {
  index: number;
  insight: string;
  key: string;
  type: string;
  source: string;
  confidence: number;
  lessonId: string;
}

export interface ThemeOutcome {
  theme: string;
  members: number;
  prs: number;
  captured: number;
  /** The candidate that carries the theme (its title), or null. */
  candidate: string | null;
}

export interface RuleMeasurement {
  labelled: number;
  rules: number;
  capturedLabelled: number;
  truePositives: number;
  precision: number;
  recall: number;
  recallByForm: Record<string, { rules: number; captured: number }>;
  /** Upstream praise / false-positive records (labelled or not) and how many became lessons. */
  noise: { records: number; lessons: number; share: number };
  themes: ThemeOutcome[];
  themesSurfaced: number;
  candidates: { title: string; size: number; prs: number; themes: Record<string, number>; insight: string }[];
  falsePositives: { index: number; comment: string; insight: string; notes: string }[];
  misses: { index: number; form: string; comment: string; rule: string; theme: string }[];
  report: DigestReport;
}

const NOW = '2026-01-01T00:00:00Z';

/** Distill options for a similarity by name (`seed`: mycelium's tokens; `review`: content words). */
export function distillSimilarity(name: string): Partial<DistillOptions> {
  if (name !== 'seed' && name !== 'review') throw new Error(`unknown similarity ${name}: seed or review`);
  return { similarity: name };
}

/** Captures every real CRC-Py PR in time order, then distills; compares both with the hand labels. */
export function measureRules(
  records: readonly CrcRecord[],
  labels: readonly RuleLabel[],
  opts: { capture?: Partial<CaptureContext>; distill?: Partial<DistillOptions> } = {},
): RuleMeasurement {
  const bundles = crcBundles(records);
  const firstTime = (b: (typeof bundles)[number]): string =>
    b.bundle.review_comments.map((c) => String(c.created_at ?? '')).sort()[0] ?? '';
  bundles.sort((a, b) => (firstTime(a) < firstTime(b) ? -1 : firstTime(a) > firstTime(b) ? 1 : 0));

  const existing: ExistingLesson[] = [];
  const rows: Record<string, unknown>[] = [];
  const byIndex = new Map<number, CapturedRecord>();
  const indexByLesson = new Map<string, number>();
  for (const { bundle, refs } of bundles) {
    const r = extractLessons(bundle, { now: NOW, existing, ...opts.capture });
    const byRef = new Map(r.lessons.map((l) => [l.provenance.comment_ref, l]));
    for (const [index, ref] of refs) {
      const l = byRef.get(ref);
      if (!l) continue;
      const x = l.lesson;
      byIndex.set(index, { index, insight: x.insight, key: x.key, type: x.type, source: x.source, confidence: x.confidence, lessonId: x.id });
      indexByLesson.set(x.id, index);
    }
    for (const { lesson: x } of r.lessons) {
      existing.push({ id: x.id, key: x.key, type: x.type, insight: x.insight, retro_pr: x.retro_pr ?? null, project: x.project, ts: x.ts, confidence: x.confidence });
      rows.push({ ...x, files: JSON.stringify(x.files ?? []), tags: JSON.stringify(x.tags ?? []), skill: x.skill ?? null, retired_at: null });
    }
  }

  const real = labels.filter((l) => records[l.index] && !isSyntheticCrc(records[l.index]!));
  const rules = real.filter((l) => l.rule);
  const capturedLabelled = real.filter((l) => byIndex.has(l.index));
  const tp = capturedLabelled.filter((l) => l.rule);
  const recallByForm: Record<string, { rules: number; captured: number }> = {};
  for (const l of rules) {
    const f = (recallByForm[l.form ?? 'other'] ??= { rules: 0, captured: 0 });
    f.rules++;
    if (byIndex.has(l.index)) f.captured++;
  }

  let noiseRecords = 0;
  let noiseLessons = 0;
  records.forEach((r, i) => {
    if (isSyntheticCrc(r)) return;
    if (r.subcategory !== 'praise' && r.category !== 'false positive') return;
    noiseRecords++;
    if (byIndex.has(i)) noiseLessons++;
  });

  const now = parseTimestamp(NOW)!;
  const report = distill(rows, { now, since: '3650d', ...opts.distill });
  const themeOf = new Map(real.filter((l) => l.rule && l.theme).map((l) => [l.index, l.theme!]));
  const candidates = report.candidates.map((c) => {
    const themes: Record<string, number> = {};
    for (const id of c.cluster.lesson_ids) {
      const idx = indexByLesson.get(id);
      const t = idx === undefined ? undefined : themeOf.get(idx);
      if (t) themes[t] = (themes[t] ?? 0) + 1;
    }
    return { title: c.title, size: c.cluster.lesson_ids.length, prs: c.recurrence_pr_count, themes, insight: c.cluster.representative_insight };
  });

  const themeMembers = new Map<string, RuleLabel[]>();
  for (const l of rules) if (l.theme) themeMembers.set(l.theme, [...(themeMembers.get(l.theme) ?? []), l]);
  const themes: ThemeOutcome[] = [];
  for (const [theme, members] of themeMembers) {
    const prs = new Set(members.map((m) => `${records[m.index]!.owner}/${records[m.index]!.repo}#${records[m.index]!.pr_number}`));
    if (members.length < 3 || prs.size < 2) continue;
    // A theme surfaces when a candidate holds at least two of its labelled lessons and the theme is the
    // candidate's most common labelled theme.
    const carrier = candidates.find((c) => {
      const n = c.themes[theme] ?? 0;
      return n >= 2 && Object.values(c.themes).every((m) => m <= n);
    });
    themes.push({ theme, members: members.length, prs: prs.size, captured: members.filter((m) => byIndex.has(m.index)).length, candidate: carrier?.title ?? null });
  }
  themes.sort((a, b) => b.members - a.members || (a.theme < b.theme ? -1 : 1));

  const text = (i: number): string => {
    const r = records[i]!;
    const e = r.enriched;
    const at = typeof e === 'string' ? e.indexOf('\nComment: ') : -1;
    return (at === -1 ? r.comment : e!.slice(at + 10)).replace(/\s+/g, ' ').slice(0, 200);
  };
  return {
    labelled: real.length,
    rules: rules.length,
    capturedLabelled: capturedLabelled.length,
    truePositives: tp.length,
    precision: capturedLabelled.length ? tp.length / capturedLabelled.length : 0,
    recall: rules.length ? tp.length / rules.length : 0,
    recallByForm,
    noise: { records: noiseRecords, lessons: noiseLessons, share: noiseRecords ? noiseLessons / noiseRecords : 0 },
    themes,
    themesSurfaced: themes.filter((t) => t.candidate).length,
    candidates,
    falsePositives: capturedLabelled
      .filter((l) => !l.rule)
      .map((l) => ({ index: l.index, comment: text(l.index), insight: byIndex.get(l.index)!.insight, notes: l.notes ?? '' })),
    misses: rules
      .filter((l) => !byIndex.has(l.index))
      .map((l) => ({ index: l.index, form: l.form ?? '', comment: text(l.index), rule: l.rule_text ?? '', theme: l.theme ?? '' })),
    report,
  };
}
