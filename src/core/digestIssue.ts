/**
 * The weekly DigestReport as a GitHub issue (SPEC §5): a title, a readable markdown body with links to
 * the PRs and comments the lessons came from, and the report's JSON in a collapsed block. Pure.
 *
 * Lesson text comes from PR comments and is untrusted, so everything taken from the report or the
 * provenance map goes through {@link escapeInline}:
 * - `@name` and `@org/team` get a zero-width joiner after the `@`, so nobody is pinged;
 *   `#123` the same, so no cross-reference events land on other issues;
 * - `&`, `<`, `>` become entities: no raw HTML (`<img>`, `<script>`, `<details>`), no HTML comment that
 *   could fake the digest marker;
 * - markdown that could break the layout is backslash-escaped (backticks, so no code span or fence;
 *   `|`, so table cells stay cells; `[ ]`, so no links or images; `* _ ~ # $`), line breaks are folded,
 *   and untrusted text never starts a line;
 * - the JSON block escapes `<`, `>`, `&`, `@` as `\u003c`... (still the same JSON) and its fence is
 *   longer than any backtick run inside.
 *
 * The body fits GitHub's 65,536-character limit: the JSON goes first (replaced by a note saying where
 * the full report is), then whole candidates from the end, with a "N more candidates not shown" line.
 * Nothing is ever cut mid-block; long texts are clipped before escaping.
 */
import { createHash } from 'node:crypto';
import type { Candidate, DigestReport, MemberLesson } from './distill.js';

/** GitHub's limit on issue and comment bodies (SPEC §9). */
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
  /** `owner/repo` for PR links when a lesson's `project` is not one. */
  repository?: string;
  /** Where the full report can be downloaded when the JSON does not fit (the report artifact's URL). */
  reportUrl?: string;
  /** Body limit, in UTF-16 code units (default {@link ISSUE_BODY_LIMIT}; tests use smaller ones). */
  maxBodyChars?: number;
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

const ZWJ = '\u200d';

/** Clips to at most `max` code points (never splits a surrogate pair), marking the cut with `…`. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/**
 * One line of untrusted text, safe inside a paragraph, list item, heading or table cell: no mentions,
 * no issue references, no HTML, no markdown structure. `max` clips (in code points) before escaping.
 */
export function escapeInline(text: string, max?: number): string {
  let s = text
    // C0/C1 controls and bidi overrides/isolates (they can make text read differently than it is).
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (max !== undefined) s = clipText(s, max);
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#$]/g, '\\$&')
    .replace(/@(?=[\p{L}\p{N}_])/gu, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${ZWJ}`);
}

/** An http(s) URL fit for a markdown link destination, or null. */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  // URL already percent-encodes spaces, quotes and angle brackets; parentheses would end the link.
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

const REPO_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const LIMITS = {
  title: 100,
  key: 100,
  project: 200,
  representative: 1_500,
  member: 400,
  membersShown: 25,
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

export function digestIssueTitle(report: DigestReport): string {
  const n = report.candidate_count;
  const week = weekOf(report.generated_at);
  return `Mycelium: ${n} skill candidate${n === 1 ? '' : 's'}${week ? ` (week of ${week})` : ''}`;
}

function lookup(map: ProvenanceMap | undefined, id: string): LessonProvenance | undefined {
  if (!map) return undefined;
  if (map instanceof Map) return map.get(id);
  const record = map as Readonly<Record<string, LessonProvenance | undefined>>;
  return Object.prototype.hasOwnProperty.call(record, id) ? record[id] : undefined;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

class Renderer {
  private readonly server: string;
  constructor(
    private readonly report: DigestReport,
    private readonly opts: DigestIssueOptions,
  ) {
    this.server = (safeUrl(opts.serverUrl ?? 'https://github.com') ?? 'https://github.com').replace(/\/+$/, '');
  }

  prUrl(project: string | null, pr: number): string | null {
    const repo = project && REPO_NAME.test(project) ? project : this.opts.repository && REPO_NAME.test(this.opts.repository) ? this.opts.repository : null;
    if (!repo || !Number.isSafeInteger(pr) || pr <= 0) return null;
    return `${this.server}/${repo}/pull/${pr}`;
  }

  prLink(project: string | null, pr: number): string {
    const url = this.prUrl(project, pr);
    return url ? `[PR #${pr}](${url})` : `PR ${pr}`;
  }

  /** The project the candidate's PRs belong to: the report's, else its first member's. */
  candidateProject(c: Candidate): string | null {
    return this.report.project ?? c.cluster.member_lessons[0]?.project ?? null;
  }

  summaryTable(shown: readonly Candidate[]): string[] {
    const lines = ['| # | candidate | lessons | PRs | avg confidence | new evidence |', '| ---: | --- | ---: | ---: | ---: | :---: |'];
    shown.forEach((c, i) => {
      lines.push(
        `| ${i + 1} | ${escapeInline(c.title, LIMITS.title)} | ${c.cluster.lesson_ids.length} | ${c.recurrence_pr_count} | ${c.cluster.avg_confidence} | ${c.has_new_evidence ? 'yes' : 'no'} |`,
      );
    });
    return lines;
  }

  member(m: MemberLesson): string {
    const facts = [escapeInline(m.type, 40), `confidence ${m.confidence}`];
    const prov = lookup(this.opts.provenance, m.id);
    const prUrl = safeUrl(prov?.pr_url);
    if (m.retro_pr !== null) facts.push(prUrl ? `[PR #${m.retro_pr}](${prUrl})` : this.prLink(m.project, m.retro_pr));
    else if (prUrl) facts.push(`[PR](${prUrl})`);
    const commentUrl = safeUrl(prov?.comment_url);
    if (commentUrl) {
      const author = prov?.author ? ` by ${escapeInline(prov.author, LIMITS.author)}` : '';
      facts.push(`[comment](${commentUrl})${author}`);
    } else if (prov?.author) {
      facts.push(`by ${escapeInline(prov.author, LIMITS.author)}`);
    }
    return `- **${escapeInline(m.key, LIMITS.key)}** (${facts.join(', ')}): ${escapeInline(m.insight, LIMITS.member)}`;
  }

  candidate(c: Candidate, index: number): string[] {
    const cl = c.cluster;
    const project = this.candidateProject(c);
    const facts = [
      `\`${escapeCodeSpan(c.candidate_id)}\``,
      `${cl.lesson_ids.length} lessons`,
      `${c.recurrence_pr_count} PRs`,
      `avg confidence ${cl.avg_confidence}`,
      `types ${cl.types.map((t) => escapeInline(t, 40)).join(', ')}`,
    ];
    if (cl.subject_skills.length) {
      const skills = cl.subject_skills.slice(0, LIMITS.skills).map((s) => escapeInline(s, LIMITS.skill));
      if (cl.subject_skills.length > LIMITS.skills) skills.push(`+${cl.subject_skills.length - LIMITS.skills} more`);
      facts.push(`skills ${skills.join(', ')}`);
    }
    if (c.has_new_evidence) facts.push('new evidence');
    const lines = [
      `### ${index + 1}. ${escapeInline(c.title, LIMITS.title)}`,
      '',
      facts.join(' · '),
      '',
      `**Representative insight:** ${escapeInline(cl.representative_insight, LIMITS.representative)}`,
      '',
      `**PRs:** ${cl.retro_prs.map((pr) => this.prLink(project, pr)).join(', ') || 'none recorded'}`,
      '',
      `**Member lessons (${cl.member_lessons.length}):**`,
      '',
    ];
    const shown = cl.member_lessons.slice(0, LIMITS.membersShown);
    for (const m of shown) lines.push(this.member(m));
    const hidden = cl.member_lessons.length - shown.length;
    if (hidden > 0) lines.push(`- … and ${fmt(hidden)} more lesson${hidden === 1 ? '' : 's'} (all are in the JSON report)`);
    lines.push('');
    return lines;
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
    const where = safeUrl(this.opts.reportUrl);
    return [
      `_The full DigestReport JSON (${fmt(jsonLength)} characters) does not fit in an issue body (limit ${fmt(limit)})` +
        (where ? `; [download it](${where}) from the workflow run that posted this digest._` : '._'),
      '',
    ];
  }

  body(marker: string, id: string, shownCount: number, json: string | null, limit: number, jsonLength: number): string {
    const r = this.report;
    const shown = r.candidates.slice(0, shownCount);
    const hidden = r.candidates.length - shown.length;
    const lines: string[] = [marker, ''];
    const project = r.project ? ` for ${escapeInline(r.project, LIMITS.project)}` : '';
    lines.push(
      `Mycelium found **${fmt(r.candidate_count)} skill candidate${r.candidate_count === 1 ? '' : 's'}**${project}: conventions that keep coming up in code review across pull requests. Consider writing them down (docs, lint rules, agent instructions).`,
      '',
    );
    lines.push(...this.summaryTable(shown), '');
    const more =
      hidden > 0
        ? [`_${fmt(hidden)} more candidate${hidden === 1 ? '' : 's'} not shown: the issue body is limited to ${fmt(limit)} characters. All are in the JSON report._`, '']
        : [];
    lines.push(...more);
    shown.forEach((c, i) => lines.push(...this.candidate(c, i)));
    lines.push(...more);
    lines.push(...this.scanFigures());
    lines.push(...(json !== null ? this.jsonBlock(json) : this.jsonNote(jsonLength, limit)));
    lines.push(`<sub>Digest ${id} · generated ${escapeInline(r.generated_at, 40)} by Mycelium</sub>`, '');
    return lines.join('\n');
  }
}

/** Backticks cannot occur in our ids, but be sure nothing closes the span early. */
function escapeCodeSpan(text: string): string {
  return text.replace(/[`\s]/g, '');
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
  const r = new Renderer(report, opts);
  const json = reportJsonForMarkdown(report);
  const n = report.candidates.length;
  const render = (k: number, withJson: boolean): string => r.body(marker, id, k, withJson ? json : null, limit, json.length);

  const result = (body: string, shown: number, jsonIncluded: boolean): DigestIssue => ({
    title: digestIssueTitle(report),
    body,
    digestId: id,
    marker,
    shownCandidates: shown,
    jsonIncluded,
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
