/**
 * The job summary, in one place: each operation pushes entries built here, and {@link jobSummaryMarkdown}
 * turns them into the markdown main.ts writes. An entry is either plain text (escaped when rendered) or
 * markdown built here, where every untrusted piece (lesson text, keys, reasons, logins) is escaped.
 */
import { screenReport } from '../core/digestIssue.js';
import type { DigestReport } from '../core/distill.js';
import { clipText, codeSpan, escapeText, inlineMarkdown, ownRepoUrl, safeUrl } from '../core/safeMarkdown.js';
import type { TierReport } from '../core/tiers.js';
import type { PublishResult } from '../ports/index.js';
import type { CaptureOutcome } from './capture.js';
import { describeStop } from './backfill.js';
import type { CatchUpResult } from './catchUp.js';

/** Plain text (rendered escaped; a leading two-space indent makes a list item) or markdown built in this module. */
export type SummaryEntry = string | { readonly markdown: string };

/** A step's summary may hold 1 MiB; 300,000 UTF-16 units are at most 900,000 UTF-8 bytes. */
export const SUMMARY_MAX_CHARS = 300_000;

export const DRY_RUN_LINE = 'Dry run: nothing is written to GitHub.';

const md = (markdown: string): SummaryEntry => ({ markdown });
const cell = (text: string, max = 160): string => inlineMarkdown(text, max).replace(/\|/g, '\\|');
const fmt = (n: number): string => n.toLocaleString('en-US');

/** A link to this repository's own PR, else the PR named as text. */
function prRef(o: Pick<CaptureOutcome, 'project' | 'prNumber' | 'prUrl'>): string {
  const label = escapeText(`${o.project}#${o.prNumber}`);
  const server = originOf(o.prUrl);
  const own = server ? ownRepoUrl(o.prUrl, server, o.project) : null;
  return own ? `[${label}](${own})` : label;
}

function table(head: readonly string[], rows: readonly string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** What one PR gave: the lessons stored, the texts held for a maintainer, and why comments were skipped. */
export function describeCapture(o: CaptureOutcome): SummaryEntry {
  if (!o.merged) return md(`### ${prRef(o)}\n\nNot merged: nothing captured.`);
  const parts = [`### ${prRef(o)}`, `**${fmt(o.lessons.length)} lessons** (${fmt(o.inserted.length)} new), ${fmt(o.skipped.length)} comments skipped.`];
  if (o.lessons.length)
    parts.push(
      table(
        ['key', 'source', 'confidence', 'rule'],
        o.lessons.map(({ lesson: l }) => [codeSpan(clipText(l.key, 80)), escapeText(l.source), String(l.confidence), cell(l.insight, 200)]),
      ),
    );
  if (o.held.length)
    parts.push(
      `**Held for review** (refused by the guard; never stored, never shown to agents): ${fmt(o.held.length)}`,
      table(['where', 'reason', 'text'], o.held.slice(0, 20).map((h) => [whereCell(h.where, o), cell(h.reason, 120), codeSpan(clipText(h.excerpt, 120)) || ' '])),
    );
  const reasons = new Map<string, number>();
  for (const s of o.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  if (top.length) parts.push(table(['skipped', 'why'], top.map(([reason, n]) => [fmt(n), cell(reason, 160)])));
  return md(parts.join('\n\n'));
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function whereCell(where: string, o: Pick<CaptureOutcome, 'project' | 'prUrl'>): string {
  const server = originOf(o.prUrl);
  const own = server ? ownRepoUrl(where, server, o.project) : null;
  return own ? `[comment](${own})` : codeSpan(clipText(where, 80));
}

export function describeCatchUp(result: CatchUpResult, since: string): SummaryEntry {
  return (
    `Catch-up: ${result.merged} PRs merged since ${since.slice(0, 10)}, ${result.captured.length} captured now` +
    (result.failed.length ? `, ${result.failed.length} failed (retried next run)` : '') +
    (result.leftOut ? `, ${result.leftOut} older ones left out (catch-up-max-prs)` : '') +
    (result.usage ? `; ${result.usage.restRequests} REST requests, ${result.usage.graphqlPoints} GraphQL points` : '') +
    describeStop(result)
  );
}

export function describeDistill(report: DigestReport): SummaryEntry {
  const head =
    `### Distill\n\n${fmt(report.total_lessons_scanned)} lessons scanned in ${fmt(report.cluster_count)} clusters ` +
    `(similarity ${escapeText(report.similarity ?? 'seed')}), ${fmt(report.dropped_unparseable_ts)} dropped (unparseable ts): ` +
    `**${fmt(report.candidate_count)} skill candidates**.`;
  if (!report.candidates.length) return md(head);
  // Titled and screened as the digest issue shows them, so the numbers match its `/mycelium accept N`.
  const { screened, heldBack } = screenReport({ ...report, candidates: report.candidates.slice(0, 50) });
  const rows = screened.map((s, i) => [
    String(i + 1),
    cell(s.rule.title, 80),
    fmt(s.candidate.recurrence_pr_count),
    fmt(s.candidate.cluster.lesson_ids.length),
    String(s.candidate.cluster.avg_confidence),
  ]);
  const held = heldBack.candidates ? `\n\n${fmt(heldBack.candidates)} candidates held back by the guard (not shown in the issue).` : '';
  const more = report.candidates.length > 50 ? `\n\n… and ${fmt(report.candidates.length - 50)} more (see the DigestReport).` : '';
  return md(`${head}\n\n${table(['#', 'rule', 'PRs', 'lessons', 'avg confidence'], rows)}${held}${more}`);
}

/** Where the DigestReport JSON was kept, as a link when it is a web URL. */
export function describeReportUrl(url: string): SummaryEntry {
  const safe = safeUrl(url);
  return safe ? md(`DigestReport JSON kept as [a run artifact](${safe}).`) : `DigestReport JSON kept as ${url}`;
}

const ACTION_WORDS: Record<PublishResult['action'], string> = {
  created: 'created',
  existing: 'already posted (not posted again)',
  'dry-run': 'not posted (dry run)',
  'skipped-empty': 'not posted: no new candidates',
};

export function describeDigest(publish: PublishResult, watermark: string | null): SummaryEntry {
  const what = ACTION_WORDS[publish.action];
  const url = safeUrl(publish.issueUrl);
  const issue = publish.issueNumber !== null ? (url ? ` [#${publish.issueNumber}](${url})` : ` #${publish.issueNumber}`) : url ? ` [issue](${url})` : '';
  const parts = [`### Digest\n\nDigest: ${what}${issue}; watermark ${watermark ? `advanced to ${escapeText(watermark)}` : 'unchanged'}.`];
  if (publish.body !== undefined)
    parts.push(`<details><summary>The issue this run would post: ${escapeText(publish.title ?? '')}</summary>\n\n${publish.body}\n\n</details>`);
  return md(parts.join('\n\n'));
}

export function describeTiers(report: TierReport): SummaryEntry {
  return md(`### Tiers\n\nTiers: promoted ${report.promoted}, demoted ${report.demoted} (archived ${report.archived}), errors ${report.errors.length}.`);
}

/**
 * The summary's markdown: plain entries escaped (indented ones as list items), markdown entries as built,
 * cut below what a step's summary may hold (never inside a surrogate pair).
 */
export function jobSummaryMarkdown(entries: readonly SummaryEntry[], maxChars = SUMMARY_MAX_CHARS): string {
  let out = '';
  let inList = false;
  for (const e of entries) {
    if (typeof e === 'string') {
      const item = /^\s{2,}\S/.test(e);
      for (const line of e.split('\n')) {
        const text = escapeText(line.trim());
        if (!text) continue;
        out += item ? `${inList ? '\n' : out ? '\n\n' : ''}- ${text}` : `${out ? '\n\n' : ''}${text}`;
        inList = item;
      }
    } else {
      out += `${out ? '\n\n' : ''}${e.markdown}`;
      inList = false;
    }
  }
  return out.length > maxChars ? `${out.slice(0, maxChars).replace(/[\uD800-\uDBFF]$/, '')}\n\n… (summary cut)` : out;
}
