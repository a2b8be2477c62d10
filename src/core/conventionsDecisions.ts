/**
 * The team's decisions on candidates (SPEC §10), as data: what was accepted, rejected or retired, by whom,
 * when, from which comment; which comments were handled; which rules went into which file; and each
 * digest's numbering (what `accept 2` meant). Pure: parse, merge, query, and the suppression of rejected
 * candidates in a later report.
 *
 * The same state lives in two places (the database and `decisions.json` on the state branch) so that an
 * expired database artifact does not forget a rejection; {@link mergeDecisionStates} unions them.
 */
import { z } from 'zod';
import type { ConventionRule } from './conventions.js';
import type { DigestIndexEntry } from './digestIssue.js';
import type { DigestReport } from './distill.js';

export const DECISION_KINDS = ['accept', 'reject', 'retire'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DecisionSchema = z.object({
  /** Candidate id (accept/reject) or lesson id (retire). */
  subject: z.string().min(1).max(200),
  decision: z.enum(DECISION_KINDS),
  /** Member lessons of the candidate (retire: the one lesson). */
  lesson_ids: z.array(z.string().max(200)).max(100_000),
  reason: z.string().max(1_000).default(''),
  by: z.string().max(100),
  at: z.string().max(40),
  comment_url: z.string().max(500).nullable().default(null),
  /** accept: the rule as it will be written. */
  title: z.string().max(200).nullable().default(null),
  rule: z.string().max(2_000).nullable().default(null),
  prs: z.array(z.number().int()).max(100_000).default([]),
});
export type Decision = z.output<typeof DecisionSchema>;

const IndexEntrySchema = z.object({
  number: z.number().int().min(1),
  candidate_id: z.string().min(1).max(200),
  lesson_ids: z.array(z.string().max(200)).max(100_000),
  title: z.string().max(200),
  rule: z.string().max(2_000),
  evidence_lesson_ids: z.array(z.string().max(200)).max(100_000).default([]),
  prs: z.array(z.number().int()).max(100_000),
});

export const DecisionStateSchema = z.object({
  version: z.literal(1),
  decisions: z.array(DecisionSchema).default([]),
  /** Ids of comments already handled: a re-run or a repeated delivery changes nothing. */
  processed_comments: z.array(z.string().max(40)).default([]),
  /** conventions file path → rule ids Mycelium wrote there. */
  written: z.record(z.string(), z.array(z.string().max(200))).default({}),
  /** digest id → its numbered candidates. */
  digests: z.record(z.string(), z.array(IndexEntrySchema)).default({}),
});
export type DecisionState = z.output<typeof DecisionStateSchema>;

export function emptyDecisionState(): DecisionState {
  return { version: 1, decisions: [], processed_comments: [], written: {}, digests: {} };
}

/** Parses `decisions.json`; missing or unreadable text gives the empty state and a warning. */
export function parseDecisionState(text: string | null, where: string): { state: DecisionState; warning: string | null } {
  if (text === null || text.trim() === '') return { state: emptyDecisionState(), warning: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { state: emptyDecisionState(), warning: `${where} is not valid JSON; starting from no decisions` };
  }
  const parsed = DecisionStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { state: emptyDecisionState(), warning: `${where} does not hold decisions (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}); starting from no decisions` };
  }
  return { state: parsed.data, warning: null };
}

export function serializeDecisionState(state: DecisionState): string {
  return JSON.stringify(state, null, 2) + '\n';
}

const decisionKey = (d: Decision): string => `${d.decision}\u0000${d.subject}\u0000${d.at}\u0000${d.by}`;

/** The union of two states (decisions by content, comments, written ids, digests); order by time. */
export function mergeDecisionStates(a: DecisionState, b: DecisionState): DecisionState {
  const decisions = new Map<string, Decision>();
  for (const d of [...a.decisions, ...b.decisions]) if (!decisions.has(decisionKey(d))) decisions.set(decisionKey(d), d);
  const written: Record<string, string[]> = {};
  for (const s of [a, b]) for (const [path, ids] of Object.entries(s.written)) written[path] = [...new Set([...(written[path] ?? []), ...ids])];
  return {
    version: 1,
    decisions: [...decisions.values()].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)),
    processed_comments: [...new Set([...a.processed_comments, ...b.processed_comments])],
    written,
    digests: { ...a.digests, ...b.digests },
  };
}

/** The latest accept/reject per candidate. */
function latestByCandidate(state: DecisionState): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const d of state.decisions) if (d.decision !== 'retire') out.set(d.subject, d);
  return out;
}

/** Rules accepted and not rejected since, oldest accept first. */
export function acceptedRules(state: DecisionState): ConventionRule[] {
  return [...latestByCandidate(state).values()]
    .filter((d) => d.decision === 'accept' && d.rule)
    .map((d) => ({ id: d.subject, title: d.title ?? d.subject, text: d.rule!, prs: d.prs }));
}

export function rejectedCandidates(state: DecisionState): Decision[] {
  return [...latestByCandidate(state).values()].filter((d) => d.decision === 'reject');
}

export function retiredLessonIds(state: DecisionState): string[] {
  return [...new Set(state.decisions.filter((d) => d.decision === 'retire').map((d) => d.subject))];
}

/** Digests kept in the state file (the newest by first use); older numberings are dropped. */
export const KEPT_DIGESTS = 30;

export function withDigest(state: DecisionState, digestId: string, index: readonly DigestIndexEntry[]): DecisionState {
  const digests = { ...state.digests, [digestId]: index.map((e) => ({ ...e })) };
  const ids = Object.keys(digests);
  for (const old of ids.slice(0, Math.max(0, ids.length - KEPT_DIGESTS))) delete digests[old];
  return { ...state, digests };
}

export interface Suppression {
  report: DigestReport;
  /** Candidates left out because more than half their lessons belong to one rejected candidate. */
  rejected: number;
  /** Candidates left out because more than half their lessons belong to one accepted (already written) rule. */
  accepted: number;
}

/**
 * Leaves out of `report` every candidate made mostly (> 50 %) of the lessons of one rejected — or already
 * accepted — candidate: a decided convention is not proposed again. Runs after scoring; the report's counts
 * follow.
 */
export function suppressDecided(report: DigestReport, state: DecisionState): Suppression {
  const decided = [...latestByCandidate(state).values()].map((d) => ({ kind: d.decision, lessons: new Set(d.lesson_ids), id: d.subject }));
  if (decided.length === 0) return { report, rejected: 0, accepted: 0 };
  let rejected = 0;
  let accepted = 0;
  const candidates = report.candidates.filter((c) => {
    const ids = c.cluster.lesson_ids;
    for (const d of decided) {
      let shared = 0;
      if (d.id !== c.candidate_id) for (const id of ids) if (d.lessons.has(id)) shared++;
      if (d.id === c.candidate_id || shared * 2 > ids.length) {
        if (d.kind === 'reject') rejected++;
        else accepted++;
        return false;
      }
    }
    return true;
  });
  if (candidates.length === report.candidates.length) return { report, rejected, accepted };
  return { report: { ...report, candidates, candidate_count: candidates.length }, rejected, accepted };
}
