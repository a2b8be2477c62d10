/**
 * Untrusted text (review comments, lesson rows of any database) as GitHub markdown that does nothing
 * but show the text. Pure. Used by the digest issue, the feedback replies and the conventions files.
 *
 * - Invisible characters go: every default-ignorable code point (zero-width, joiners, variation
 *   selectors, Hangul fillers, tags), bidi controls, C0/C1 controls, and a few blanks that render as
 *   nothing (U+2800, U+115F, U+1160, U+3164, U+FFA0).
 * - Code spans written by the author (`like this`) stay code spans; everything inside them is literal on
 *   GitHub (no links, mentions, HTML). Our delimiter is longer than any backtick run inside.
 * - Every URL (`https://…`, `http://…`, any `scheme://…`, `www.…`, `mailto:`) becomes a code span:
 *   no live link to any host, no cross-reference backlink into another repository.
 * - Outside code: `&`, `<`, `>` become entities (no raw HTML, no fake marker comments); markdown that
 *   could change the layout is backslash-escaped; `@name` and `#123` / `GH-123` get a zero-width joiner
 *   after the `@`/`#`, so nobody is pinged and no issue is referenced.
 * Lines are folded to one: untrusted text never starts a line of its own.
 */

const ZWJ = '\u200d';

// Default-ignorable code points, bidi controls, C0/C1 controls (tab and newline are folded below), and blanks.
const INVISIBLE =
  /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2800\u115f\u1160\u3164\uffa0]/gu;

/** Removes every invisible or layout-changing code point. */
export function stripInvisibleAll(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** One line: invisibles removed, whitespace runs folded to one space, trimmed. */
export function oneLine(text: string): string {
  return stripInvisibleAll(text).replace(/\s+/g, ' ').trim();
}

/** Clips to at most `max` code points (never splits a surrogate pair), marking the cut with `…`. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return points.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Plain text, escaped (no code spans, no URLs handled): for table cells and titles. */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#$!]/g, '\\$&')
    .replace(/@(?=[\p{L}\p{N}_])/gu, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${ZWJ}`);
}

/** `content` as one code span, whatever backticks it holds. Empty content gives ''. */
export function codeSpan(content: string): string {
  const c = content.replace(/[\r\n]+/g, ' ');
  if (c.trim() === '') return '';
  let longest = 0;
  for (const m of c.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  // A space on each side when the content touches a backtick or a space (GitHub strips one of each).
  const pad = c.startsWith('`') || c.endsWith('`') || c.startsWith(' ') || c.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${c}${pad}${fence}`;
}

// A URL-like token: a scheme with `://`, `mailto:`/`xmpp:`, or `www.`; bounded, so linear.
const URL_TOKEN = /(?:\b[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/|\bmailto:|\bxmpp:|\bwww\.)[^\s`<>]{0,2000}/gi;

/** Trailing sentence punctuation is not part of a URL. */
function splitTrailing(url: string): [string, string] {
  const m = /[.,;:!?)\]'"]+$/.exec(url);
  if (!m) return [url, ''];
  return [url.slice(0, m.index), m[0]];
}

function escapeWithUrls(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_TOKEN)) {
    const [url, tail] = splitTrailing(m[0]);
    if (!url) continue;
    out += escapeText(text.slice(last, m.index)) + codeSpan(url) + escapeText(tail);
    last = m.index + m[0].length;
  }
  return out + escapeText(text.slice(last));
}

/**
 * One line of untrusted text, safe in a paragraph, list item or heading: the author's code spans kept as
 * code, URLs as code, the rest escaped. `max` clips (in code points) before anything is escaped.
 */
export function inlineMarkdown(text: string, max?: number): string {
  let s = oneLine(text);
  if (max !== undefined) s = clipText(s, max);
  let out = '';
  let i = 0;
  // Author's code spans: a backtick run and the next run of the same length.
  const opener = /`+/g;
  while (i < s.length) {
    opener.lastIndex = i;
    const open = opener.exec(s);
    if (!open) break;
    const run = open[0];
    const closeAt = findClosing(s, open.index + run.length, run.length);
    if (closeAt < 0) {
      // No closing run: the backticks are text.
      out += escapeWithUrls(s.slice(i, open.index + run.length));
      i = open.index + run.length;
      continue;
    }
    out += escapeWithUrls(s.slice(i, open.index));
    const inner = s.slice(open.index + run.length, closeAt);
    out += codeSpan(inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' ') ? inner.slice(1, -1) : inner);
    i = closeAt + run.length;
  }
  return out + escapeWithUrls(s.slice(i));
}

/** Index of the next backtick run of exactly `len` at or after `from`, or -1. */
function findClosing(s: string, from: number, len: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(s); m; m = re.exec(s)) if (m[0].length === len) return m.index;
  return -1;
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

/**
 * `raw` when it points into `repository` on `server` (a PR, an issue or comment, a workflow run or its
 * artifact) — the only links an issue body may make live — else null.
 */
export function ownRepoUrl(raw: string | null | undefined, server: string, repository: string | null | undefined): string | null {
  const url = safeUrl(raw);
  if (!url || !repository) return null;
  const base = safeUrl(server);
  if (!base) return null;
  const u = new URL(url);
  const b = new URL(base);
  if (u.origin !== b.origin) return null;
  const prefix = `${b.pathname.replace(/\/+$/, '')}/${repository}/`.toLowerCase();
  const path = u.pathname.toLowerCase();
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length);
  return /^(pull|issues)\/\d+(\/|$)|^actions\/runs\/\d+(\/|$)/.test(rest) ? url : null;
}

/** A link when `url` is one of ours, else the URL shown as code (or `label` alone when there is no URL). */
export function linkOrCode(label: string, raw: string | null | undefined, server: string, repository: string | null | undefined): string {
  const own = ownRepoUrl(raw, server, repository);
  if (own) return `[${label}](${own})`;
  const shown = raw ? oneLine(raw) : '';
  return shown ? `${label} ${codeSpan(clipText(shown, 200))}` : label;
}
