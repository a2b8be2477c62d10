/**
 * From a review comment's Markdown to plain sentences: mojibake repaired, hidden and quoted text gone,
 * code fences taken out (and remembered), markdown, HTML, badges, emoji and @mentions stripped.
 */
import { stripInvisible } from '../core/guard.js';

// CP437's upper half, bytes 0x80..0xFF: the code page that turned UTF-8 emoji into `ΓÜá∩╕Å` in real data.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
const CP437_BYTE = new Map<string, number>(Array.from(CP437_HIGH, (ch, i) => [ch, 0x80 + i]));
const CP437_RUN = new RegExp(`[${CP437_HIGH.replace(/[\]\\^-]/g, '\\$&')}]{2,}`, 'g');
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undoes UTF-8 text that was decoded as CP437: each run of CP437 upper-half characters is turned back into
 * bytes and kept decoded only if the bytes are valid UTF-8 (legitimate accented text almost never is).
 */
export function repairMojibake(text: string): string {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return text.replace(CP437_RUN, (run) => {
    const bytes = Uint8Array.from(Array.from(run, (ch) => CP437_BYTE.get(ch) ?? 0));
    try {
      return UTF8.decode(bytes);
    } catch {
      return run;
    }
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Removes `<details>…</details>` blocks, nested ones included (CodeRabbit nests them deeply). */
export function stripDetails(text: string): string {
  const tag = /<(\/?)details\b[^<>]*>/gi; // [^<>]: a scan never runs past the next tag, so it stays linear
  let out = '';
  let depth = 0;
  let last = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (!m[1]) {
      if (depth === 0) out += text.slice(last, m.index);
      depth++;
    } else if (depth > 0) {
      depth--;
      if (depth === 0) last = m.index + m[0].length;
    }
  }
  if (depth === 0) out += text.slice(last);
  return out;
}

export interface Fence {
  /** The info string's first word, lower-cased (`suggestion`, `diff`, `lesson`, `pr-retro`, ``). */
  lang: string;
  body: string;
}

/** Splits fenced code blocks (``` or ~~~, any length ≥ 3) out of the text; an unclosed fence runs to the end. */
export function extractFences(text: string): { text: string; fences: Fence[] } {
  const lines = text.split('\n');
  const kept: string[] = [];
  const fences: Fence[] = [];
  let open: { marker: string; lang: string; body: string[] } | null = null;
  for (const line of lines) {
    if (open) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1]![0] === open.marker[0] && close[1]!.length >= open.marker.length) {
        fences.push({ lang: open.lang, body: open.body.join('\n') });
        open = null;
      } else {
        open.body.push(line);
      }
      continue;
    }
    const start = /^\s*(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (start) {
      open = { marker: start[1]!, lang: start[2]!.toLowerCase(), body: [] };
      kept.push('');
      continue;
    }
    kept.push(line);
  }
  if (open) fences.push({ lang: open.lang, body: open.body.join('\n') });
  return { text: kept.join('\n'), fences };
}

/** HTML comments, unterminated ones to the end (CodeRabbit truncates some). */
export function stripHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(-->|$)/g, '');
}

/**
 * Capture reads at most this many UTF-16 units of a comment. GitHub caps a body at 65,536 characters; in
 * the real review data a lesson, a directive or a boilerplate marker sits in the first few hundred
 * characters, and bodies past 16 KiB are pasted logs, diffs or bot reports (no rule hides at the end of
 * those). The cap bounds the work per comment whatever the text: every pattern here is linear, and 16 KiB
 * of the worst text costs milliseconds, so a PR of 100 hostile comments stays well inside its budget.
 */
export const MAX_ANALYSED_CHARS = 16 * 1024;

export interface Truncated {
  /** The prefix capture analyses: whole lines when the cut falls inside a long body. */
  text: string;
  truncated: boolean;
  /** Length of the original body (UTF-16 units), for the skip/truncation note. */
  originalLength: number;
}

/**
 * The prefix of `text` that capture analyses: at most `max` units, cut after the last line break in
 * the prefix (so a line is never read half, and a half `Lesson:` line cannot become a lesson), and never
 * between the two halves of a surrogate pair.
 */
export function truncateForAnalysis(text: string, max: number = MAX_ANALYSED_CHARS): Truncated {
  if (text.length <= max) return { text, truncated: false, originalLength: text.length };
  let cut = text.lastIndexOf('\n', max);
  if (cut <= 0) {
    cut = max;
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
  }
  return { text: text.slice(0, cut), truncated: true, originalLength: text.length };
}

export interface CleanText {
  /** Plain text, one logical line per markdown line/paragraph item; no fences, no quotes. */
  text: string;
  fences: Fence[];
  hasSuggestion: boolean;
  /** Lines that were quotes (`> …`) in the source, cleaned; for matching quote-replies. */
  quoted: string[];
  /** Task-list items (`- [ ] …`, `- [x] …`): dropped from `text`, counted here. */
  checklistItems: number;
}

const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D\u20E3]/gu;

/** Inline markdown and HTML to plain text; keeps inline code in backticks. */
/** Tags of HTML that GitHub renders in comments: dropped, their text kept. */
const HTML_TAG =
  /<\/?(?:a|abbr|b|bdi|bdo|blockquote|br|caption|center|cite|code|dd|del|details|dfn|div|dl|dt|em|font|h[1-6]|hr|i|img|ins|kbd|li|mark|ol|p|picture|pre|q|rp|rt|ruby|s|samp|small|source|span|strike|strong|sub|summary|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul|var|video|wbr)\b[^<>]{0,500}>/gi;

export function stripInline(line: string): string {
  // Inline code is kept verbatim: no emphasis, link or emoji rules apply inside it.
  const spans: string[] = [];
  let s = line.replace(/`[^`\n]+`/g, (m) => {
    spans.push(m);
    return `\u0000${spans.length - 1}\u0000`;
  });
  s = s.replace(/!\[[^[\]]*\]\([^()]*\)/g, ''); // images and badges
  s = s.replace(/<img\b[^<>]*>/gi, '');
  s = s.replace(/<code>((?:[^<]|<(?!\/?code>))*)<\/code>/gi, '`$1`');
  s = s.replace(/<br\s*\/?>/gi, ' ');
  // HTML tags go, text kept; anything else in angle brackets is the reviewer's words (`<dir>`, Array<string>).
  s = s.replace(HTML_TAG, '');
  s = s.replace(/\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1'); // links -> text
  s = s.replace(/\[([^[\]]+)\]\[[^[\]]*\]/g, '$1');
  s = s.replace(/\bhttps?:\/\/[^\s)>\]]+/g, ''); // bare URLs (often long signed links)
  // Only a leading address ("@bob, …") goes: @v2, @pytest.fixture and ::add-mask:: are what the reviewer
  // wrote, and the renderer neutralises mentions where text is shown.
  s = s.replace(/^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?(?:[,:]\s*|\s+)/, '');
  s = s.replace(EMOJI, '');
  s = s.replace(/(\*\*|__)(?=\S)((?:(?!\1)[\s\S])*?\S)\1/g, '$2');
  s = s.replace(/(^|[\s(|])([*_])\s*([^*_\s](?:[^*_]*?[^*_\s])?)\s*\2(?=$|[\s).,:;!?|])/g, '$1$3');
  s = s.replace(/~~(.+?)~~/g, '$1');
  s = s.replace(/\*\*|__/g, '');
  s = s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => spans[Number(i)] ?? '');
  return s.replace(/[ \t\u00a0]+/g, ' ').trim();
}

/**
 * Cleans a comment body. Quoted lines (`>`) are dropped from `text` (they are someone else's words) but
 * returned in `quoted`; `<details>`, HTML comments and code fences are removed; tables and horizontal
 * rules are dropped; list markers and headings become plain lines.
 */
export function cleanBody(raw: string): CleanText {
  let s = stripInvisible(repairMojibake(raw)).replace(/\r\n?/g, '\n');
  s = stripHtmlComments(s);
  const fenced = extractFences(s);
  s = stripDetails(fenced.text);
  s = decodeEntities(s);
  const out: string[] = [];
  const quoted: string[] = [];
  let checklistItems = 0;
  for (const rawLine of s.split('\n')) {
    const line = rawLine.replace(/\t/g, ' ');
    if (!line.trim()) {
      out.push(''); // blank: nothing to clean (and 16K blank lines must not cost 16K stripInline calls)
      continue;
    }
    if (/^\s*(?:[-*+]|\d{1,3}[.)])\s+\[[ xX]\]/.test(line)) {
      checklistItems++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const q = stripInline(line.replace(/^(\s*>)+\s?/, ''));
      if (q) quoted.push(q);
      continue;
    }
    if (/^\s*\|/.test(line) || /^\s*([-*_]\s*){3,}$/.test(line)) {
      out.push('');
      continue;
    }
    const body = line.replace(/^\s*#{1,6}\s+/, '').replace(/^\s*(?:[-*+]|\d{1,3}[.)])\s+/, '');
    out.push(stripInline(body));
  }
  const text = out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return {
    text,
    fences: fenced.fences,
    hasSuggestion: fenced.fences.some((f) => f.lang === 'suggestion'),
    quoted,
    checklistItems,
  };
}

const ABBREVIATIONS = /\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp|mr|mrs|dr|no|fig|eq|sec|ch|al|viz)\.$/i;

/**
 * Splits cleaned text into sentences: at line breaks, and after `.`, `!`, `?` (or `;`-free runs) that
 * are followed by whitespace, except after common abbreviations and single letters (`e.g.`, `i.e.`).
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    let start = 0;
    // Backticks before the current match, counted incrementally: a line is scanned once, however long.
    let ticks = 0;
    let scanned = 0;
    const re = /(?<![.!?])[.!?]+(?=\s+\S)/g; // starts only at a run's first mark: linear on "!!!!…"
    for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
      for (; scanned < m.index; scanned++) if (trimmed.charCodeAt(scanned) === 96) ticks++;
      const end = m.index + m[0].length;
      if (m[0] === '.' && ABBREVIATIONS.test(trimmed.slice(Math.max(start, end - 12), end))) continue;
      if (ticks % 2 === 1) continue; // inside inline code
      out.push(trimmed.slice(start, end).trim());
      start = end;
    }
    const rest = trimmed.slice(start).trim();
    if (rest) out.push(rest);
  }
  return out.filter((s) => s.length > 0);
}

/** Words of a text, for counting: runs of letters/digits (apostrophes kept inside words). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
}
