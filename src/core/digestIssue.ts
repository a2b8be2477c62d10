/**
 * The weekly DigestReport as a GitHub issue where a team decides (docs/architecture.md, data flow; docs/trust.md for what lesson text may do): per candidate a rule ready
 * to paste (title + one imperative sentence), its evidence (the PRs and review comments it came from) and
 * the commands that accept or reject it; then the scan figures and the report's JSON. Pure.
 *
 * Lesson text is untrusted, wherever it was read from: every insight passes the guard first (a refused
 * one is left out and counted), then goes through safeMarkdown — no live link except this repository's
 * own PRs, comments and runs (every other URL is shown as code), no mentions, no issue references, no
 * raw HTML, no invisible characters; the author's `code spans` stay code.
 *
 * Size: one candidate is bounded (10 PR links, 5 evidence comments, clipped texts), so a cluster of a
 * thousand PRs cannot hide the others; the body fits GitHub's 65,536 characters by dropping the JSON
 * first (a note says where the full report is), then whole candidates from the end, with a "not shown"
 * line. The numbers the commands use are the numbers shown, recorded in {@link DigestIssue.index}.
 */
import { createHash } from 'node:crypto';
import { defaultRefusal, screenCandidate, type Refusal, type ScreenedCandidate } from './conventionsRule.js';
import type { Candidate, DigestReport, MemberLesson } from './distill.js';
import { clipText, codeSpan, escapeText, inlineMarkdown, linkOrCode, oneLine, ownRepoUrl, safeUrl } from './safeMarkdown.js';

export { clipText, safeUrl } from './safeMarkdown.js';

/** GitHub's limit on issue and comment bodies (docs/architecture.md, GitHub facts). */
export const ISSUE_BODY_LIMIT = 65_536;

/** Where a lesson came from, as capture records it. All fields untrusted. */
export interface LessonProvenance {
  comment_url?: string | null;
  pr_url?: string | null;
  author?: string | null;
}

export type ProvenanceMap = ReadonlyMap<string, LessonProvenance> | Readonly<Record<string, LessonProvenance | undefined>>;

export interface DigestIssueOptions {
  /** lesson id → where it came from: adds links to the source comments. */
  provenance?: ProvenanceMap;
  /** Web root for PR links (default `https://github.com`; GHES: `github.context.serverUrl`). */
  serverUrl?: string;
  /** `owner/repo` this digest is posted in: the only repository its links may point into. */
  repository?: string;
  /** Where the full report can be downloaded when the JSON does not fit (the report artifact's URL). */
  reportUrl?: string;
  /** Body limit, in UTF-16 code units (default {@link ISSUE_BODY_LIMIT}; tests use smaller ones). */
  maxBodyChars?: number;
  /** The guard every shown text passes (default: the prompt-injection guard). */
  refuse?: Refusal;
  /** The file accepted rules go to (named in the instructions; default `AGENTS.md`). */
  conventionsFile?: string;
  /** Clusters left out because they repeat a rejected candidate (counted in the scan figures). */
  suppressedRejected?: number;
}

/** A candidate as numbered in the issue: what `/mycelium accept N` refers to. */
export interface DigestIndexEntry {
  number: number;
  candidate_id: string;
  lesson_ids: string[];
  title: string;
  rule: string;
  /** Members shown as evidence (guard passed), with their PRs. */
  evidence_lesson_ids: string[];
  prs: number[];
}

export interface DigestIssue {
  title: string;
  body: string;
  /** Stable id of this digest, see {@link digestId}. */
  digestId: string;
  /** The hidden first line of the body. */
  marker: string;
  /** Candidates rendered in the body (the rest are counted in a "not shown" line). */
  shownCandidates: number;
  /** Whether the full JSON is in the body. */
  jsonIncluded: boolean;
  /** Every candidate that passed the guard, numbered as in the body (also those not shown for size). */
  index: DigestIndexEntry[];
  /** Lessons and whole candidates the guard refused. */
  heldBack: { lessons: number; candidates: number };
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

/**
 * `dg-` + 16 hex of sha256 over (project, and per candidate sorted by id: its id and sorted lesson ids).
 * Independent of the clock, the window, the order and the scores, so a re-run over the same lessons
 * (the watermark did not move) yields the same id.
 */
export function digestId(report: Pick<DigestReport, 'project' | 'candidates'>): string {
  const candidates = report.candidates
    .map((c) => ({ id: c.candidate_id, lessons: [...c.cluster.lesson_ids].sort() }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const canonical = JSON.stringify({ project: report.project ?? null, candidates });
  return 'dg-' + createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export function digestMarker(id: string): string {
  return `<!-- mycelium-digest:${id} -->`;
}

/** True when `body` is a digest issue body for `id`: its first line is exactly the marker. */
export function bodyHasDigestMarker(body: string | null | undefined, id: string): boolean {
  if (!body) return false;
  const first = body.split(/\r?\n/, 1)[0] ?? '';
  return first.trim() === digestMarker(id);
}

// ---------------------------------------------------------------------------------------------
// Neutralising untrusted text
// ---------------------------------------------------------------------------------------------

/**
 * One line of untrusted text, safe inside a paragraph, list item, heading or table cell: no mentions,
 * no issue references, no HTML, no markdown structure, no live URL. `max` clips (in code points) before
 * escaping. Code spans are not kept (see {@link inlineMarkdown} for text where they are).
 */
export function escapeInline(text: string, max?: number): string {
  let s = oneLine(text);
  if (max !== undefined) s = clipText(s, max);
  return escapeText(s);
}

const REPO_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const LIMITS = {
  title: 100,
  project: 200,
  evidence: 300,
  evidenceShown: 5,
  prsShown: 10,
  skills: 10,
  skill: 60,
  author: 60,
};

/** The Monday (UTC) of the week `iso` falls in, as YYYY-MM-DD; null when it does not parse. */
export function weekOf(iso: string): string | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - sinceMonday)).toISOString().slice(0, 10);
}

export function digestIssueTitle(report: DigestReport, count: number = report.candidate_count): string {
  const week = weekOf(report.generated_at);
  return `Mycelium: ${count} skill candidate${count === 1 ? '' : 's'}${week ? ` (week of ${week})` : ''}`;
}

function lookup(map: ProvenanceMap | undefined, id: string): LessonProvenance | undefined {
  if (!map) return undefined;
  if (map instanceof Map) return (map as ReadonlyMap<string, LessonProvenance>).get(id);
  const record = map as Readonly<Record<string, LessonProvenance | undefined>>;
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;

/** The candidates the guard lets through, numbered from 1, and what it held back. */
export function screenReport(report: DigestReport, refuse: Refusal = defaultRefusal): { screened: ScreenedCandidate[]; heldBack: DigestIssue['heldBack'] } {
  const screened: ScreenedCandidate[] = [];
  let lessons = 0;
  let candidates = 0;
  for (const c of report.candidates) {
    const s = screenCandidate(c, refuse);
    if (s) {
      screened.push(s);
      lessons += s.refused;
    } else {
      candidates++;
      lessons += c.cluster.member_lessons.length;
    }
  }
  return { screened, heldBack: { lessons, candidates } };
}

/** The index entry of a screened candidate. */
export function indexEntry(s: ScreenedCandidate, number: number): DigestIndexEntry {
  const cl = s.candidate.cluster;
  return {
    number,
    candidate_id: s.candidate.candidate_id,
    lesson_ids: [...cl.lesson_ids],
    title: s.rule.title,
    rule: s.rule.text,
    evidence_lesson_ids: s.members.map((m) => m.id),
    prs: [...cl.retro_prs],
  };
}

/** The report as the body's JSON shows it: refused members left out, candidates renumbered as shown. */
function screenedJsonReport(report: DigestReport, screened: readonly ScreenedCandidate[]): DigestReport {
  const candidates: Candidate[] = screened.map((s) => ({
    ...s.candidate,
    cluster: {
      ...s.candidate.cluster,
      representative_insight: s.members[0]!.insight,
      member_lessons: s.candidate.cluster.member_lessons.filter((m) => s.members.includes(m)),
    },
  }));
  return { ...report, candidate_count: candidates.length, candidates };
}

class Renderer {
  private readonly server: string;
  private readonly repository: string | null;
  constructor(
    private readonly report: DigestReport,
    private readonly opts: DigestIssueOptions,
    private readonly heldBack: DigestIssue['heldBack'],
  ) {
    this.server = (safeUrl(opts.serverUrl ?? 'https://github.com') ?? 'https://github.com').replace(/\/+$/, '');
    const repo = opts.repository && REPO_NAME.test(opts.repository) ? opts.repository : null;
    this.repository = repo ?? (report.project && REPO_NAME.test(report.project) ? report.project : null);
  }

  prUrl(pr: number): string | null {
    if (!this.repository || !Number.isSafeInteger(pr) || pr <= 0) return null;
    return `${this.server}/${this.repository}/pull/${pr}`;
  }

  prLink(pr: number): string {
    const url = this.prUrl(pr);
    return url ? `[#${pr}](${url})` : `PR ${pr}`;
  }

  /** A provenance URL: live only when it points into this repository. */
  link(label: string, raw: string | null | undefined): string {
    return linkOrCode(label, raw, this.server, this.repository);
  }

  summaryTable(shown: readonly ScreenedCandidate[]): string[] {
    const lines = ['| # | rule | PRs | lessons | avg confidence |', '| ---: | --- | ---: | ---: | ---: |'];
    shown.forEach((s, i) => {
      const cl = s.candidate.cluster;
      lines.push(`| ${i + 1} | ${escapeInline(s.rule.title, LIMITS.title)} | ${s.candidate.recurrence_pr_count} | ${cl.lesson_ids.length} | ${cl.avg_confidence} |`);
    });
    return lines;
  }

  evidence(m: MemberLesson): string {
    const prov = lookup(this.opts.provenance, m.id);
    const facts: string[] = [];
    if (prov?.comment_url) facts.push(this.link('comment', prov.comment_url));
    if (prov?.author) facts.push(`by ${escapeInline(prov.author, LIMITS.author)}`);
    if (m.retro_pr !== null) {
      const own = ownRepoUrl(prov?.pr_url, this.server, this.repository);
      facts.push(own ? `on [#${m.retro_pr}](${own})` : `on ${this.prLink(m.retro_pr)}`);
    } else if (prov?.pr_url) {
      facts.push(`on ${this.link('PR', prov.pr_url)}`);
    }
    facts.push(`(${escapeInline(m.type, 40)}, confidence ${m.confidence})`);
    return `- ${facts.join(' ')}: ${inlineMarkdown(m.insight, LIMITS.evidence)}`;
  }

  candidate(s: ScreenedCandidate, number: number): string[] {
    const c = s.candidate;
    const cl = c.cluster;
    const prs = cl.retro_prs.slice(0, LIMITS.prsShown).map((pr) => this.prLink(pr));
    if (cl.retro_prs.length > LIMITS.prsShown) prs.push(`and ${fmt(cl.retro_prs.length - LIMITS.prsShown)} more`);
    const lines = [
      `### ${number}. ${escapeInline(s.rule.title, LIMITS.title)}`,
      '',
      `**Rule:** ${inlineMarkdown(s.rule.text)}`,
      '',
      `**Evidence:** ${plural(cl.lesson_ids.length, 'lesson')} from ${plural(c.recurrence_pr_count, 'PR')}: ${prs.join(', ') || 'none recorded'}`,
      '',
    ];
    const shown = s.members.slice(0, LIMITS.evidenceShown);
    for (const m of shown) lines.push(this.evidence(m));
    const more = s.members.length - shown.length;
    if (more > 0) lines.push(`- … and ${plural(more, 'more lesson')}`);
    if (s.refused > 0) lines.push(`- ${plural(s.refused, 'lesson')} held back by the guard (not shown)`);
    lines.push('');
    lines.push(`**Decide:** comment ${codeSpan(`/mycelium accept ${number}`)} or ${codeSpan(`/mycelium reject ${number} <reason>`)}`);
    lines.push('');
    const facts = [codeSpan(c.candidate_id), `types ${cl.types.map((t) => escapeInline(t, 40)).join(', ')}`, `avg confidence ${cl.avg_confidence}`];
    if (cl.subject_skills.length) {
      const skills = cl.subject_skills.slice(0, LIMITS.skills).map((k) => escapeInline(k, LIMITS.skill));
      if (cl.subject_skills.length > LIMITS.skills) skills.push(`+${cl.subject_skills.length - LIMITS.skills} more`);
      facts.push(`skills ${skills.join(', ')}`);
    }
    lines.push(`<sub>${facts.join(' · ')}</sub>`, '');
    return lines;
  }

  howToDecide(): string[] {
    const file = escapeInline(this.opts.conventionsFile ?? 'AGENTS.md', 200);
    return [
      '### How to decide',
      '',
      `Anyone with write access comments on this issue; Mycelium answers in one comment.`,
      '',
      `- ${codeSpan('/mycelium accept 1 3')}: accept candidates 1 and 3; their rules go into one pull request that edits ${file} (only Mycelium's marked block; the rest of the file stays as it is).`,
      `- ${codeSpan('/mycelium reject 2 not our convention')}: reject candidate 2 with a reason; it is not proposed again.`,
      `- ${codeSpan('/mycelium retire <lesson-id>')}: retire one lesson; no later digest reads it.`,
      `- ${codeSpan('/mycelium help')}: these commands.`,
      '',
    ];
  }

  scanFigures(): string[] {
    const r = this.report;
    const lines = [
      '#### Scan',
      '',
      `- Lessons scanned: ${fmt(r.total_lessons_scanned)} (window since ${escapeInline(r.since_cutoff ?? r.since, 40)}${r.since_cutoff && r.since !== r.since_cutoff ? `, ${escapeInline(r.since, 40)}` : ''})`,
      `- Clusters formed: ${fmt(r.cluster_count)}`,
      `- Skill candidates: ${fmt(r.candidate_count)}`,
      `- Dropped (unparseable timestamp): ${fmt(r.dropped_unparseable_ts)}`,
      `- Invalid rows skipped: ${fmt(r.dropped_invalid_rows)}`,
      `- Watermark: ${r.watermark ? escapeInline(r.watermark, 40) : 'none (first run)'}`,
    ];
    if (this.heldBack.lessons || this.heldBack.candidates) {
      lines.push(`- Held back by the guard: ${plural(this.heldBack.lessons, 'lesson')} (${plural(this.heldBack.candidates, 'whole candidate')})`);
    }
    if (this.opts.suppressedRejected) lines.push(`- Not proposed again (a rejected candidate's lessons): ${plural(this.opts.suppressedRejected, 'cluster')}`);
    if (r.truncated) lines.push('- The harvest was truncated.');
    lines.push('');
    return lines;
  }

  jsonBlock(json: string): string[] {
    const longest = Math.max(0, ...Array.from(json.matchAll(/`+/g), (m) => m[0].length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return ['<details>', '<summary>Full DigestReport JSON</summary>', '', `${fence}json`, json, fence, '', '</details>', ''];
  }

  jsonNote(jsonLength: number, limit: number): string[] {
    const where = ownRepoUrl(this.opts.reportUrl, this.server, this.repository);
    return [
      `_The full DigestReport JSON (${fmt(jsonLength)} characters) does not fit in an issue body (limit ${fmt(limit)})` +
        (where ? `; [download it](${where}) from the workflow run that posted this digest._` : '._'),
      '',
    ];
  }

  body(marker: string, id: string, screened: readonly ScreenedCandidate[], shownCount: number, json: string | null, limit: number, jsonLength: number): string {
    const r = this.report;
    const shown = screened.slice(0, shownCount);
    const hidden = screened.length - shown.length;
    const lines: string[] = [marker, ''];
    const project = r.project ? ` in ${escapeInline(r.project, LIMITS.project)}` : '';
    const n = screened.length;
    lines.push(
      `Mycelium found **${plural(n, 'convention')}** that keep coming up in code review${project}, each across several pull requests. Every one below has a rule ready to paste, the review comments it came from, and how to accept or reject it.`,
      '',
    );
    lines.push(...this.summaryTable(shown), '');
    const more =
      hidden > 0
        ? [`_${plural(hidden, 'more candidate')} not shown: the issue body is limited to ${fmt(limit)} characters. All are in the JSON report._`, '']
        : [];
    lines.push(...more);
    shown.forEach((s, i) => lines.push(...this.candidate(s, i + 1)));
    lines.push(...more);
    lines.push(...this.howToDecide());
    lines.push(...this.scanFigures());
    lines.push(...(json !== null ? this.jsonBlock(json) : this.jsonNote(jsonLength, limit)));
    lines.push(indexComment(screened.slice(0, shownCount)));
    lines.push(`<sub>Digest ${id} · generated ${escapeInline(r.generated_at, 40)} by Mycelium</sub>`, '');
    return lines.join('\n');
  }
}

/** A hidden line naming the candidate behind each number: `<!-- mycelium-candidates 1=cl-… 2=cl-… -->`. */
function indexComment(shown: readonly ScreenedCandidate[]): string {
  const pairs = shown.map((s, i) => `${i + 1}=${s.candidate.candidate_id.replace(/[^A-Za-z0-9_-]/g, '')}`);
  return `<!-- mycelium-candidates ${pairs.join(' ')} -->`;
}

/** The number → candidate id pairs of a digest body's hidden index line (see {@link indexComment}). */
export function parseIndexComment(body: string): Map<number, string> {
  const out = new Map<number, string>();
  const m = /^<!-- mycelium-candidates ((?:\d{1,4}=[A-Za-z0-9_-]{1,80} ?){0,2000})-->$/m.exec(body);
  if (!m) return out;
  for (const pair of m[1]!.trim().split(' ')) {
    const [n, id] = pair.split('=');
    if (n && id) out.set(Number(n), id);
  }
  return out;
}

/**
 * The report as JSON without `<`, `>`, `&` or `@` (escaped the JSON way, so it parses to the same value):
 * code blocks already keep GitHub from rendering HTML or pinging, this makes it hold without them.
 */
export function reportJsonForMarkdown(report: DigestReport): string {
  return JSON.stringify(report, null, 2)
    .replace(/@/g, '\\u0040')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

export function renderDigestIssue(report: DigestReport, opts: DigestIssueOptions = {}): DigestIssue {
  const limit = opts.maxBodyChars ?? ISSUE_BODY_LIMIT;
  const id = digestId(report);
  const marker = digestMarker(id);
  const { screened, heldBack } = screenReport(report, opts.refuse ?? defaultRefusal);
  const r = new Renderer(report, opts, heldBack);
  const json = reportJsonForMarkdown(screenedJsonReport(report, screened));
  const n = screened.length;
  const render = (k: number, withJson: boolean): string => r.body(marker, id, screened, k, withJson ? json : null, limit, json.length);

  const result = (body: string, shown: number, jsonIncluded: boolean): DigestIssue => ({
    title: digestIssueTitle(report, n),
    body,
    digestId: id,
    marker,
    shownCandidates: shown,
    jsonIncluded,
    index: screened.slice(0, shown).map((s, i) => indexEntry(s, i + 1)),
    heldBack,
  });

  const full = render(n, true);
  if (full.length <= limit) return result(full, n, true);
  const noJson = render(n, false);
  if (noJson.length <= limit) return result(noJson, n, false);
  // The longest prefix of candidates that fits: length grows with k (each section adds far more than
  // the "N more" line can shrink), so binary search.
  let lo = 0;
  let hi = n - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (render(mid, false).length <= limit) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best < 0) throw new Error(`the digest issue body does not fit in ${limit} characters even without candidates`);
  return result(render(best, false), best, false);
}
