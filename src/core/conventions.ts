/**
 * Writing accepted rules into the team's conventions file (SPEC §10). Pure: text in, text out.
 *
 * Mycelium owns one marked block, `<!-- mycelium:begin -->` … `<!-- mycelium:end -->`; every byte
 * outside it stays as it was (CRLF files keep CRLF). A file without a block gets one appended; a new file
 * is created with the target's front matter (Cursor rules, skills). Inside the block each rule starts
 * with an id marker, `<!-- mycelium:rule <candidate-id> -->`, and runs to the next marker:
 * - a rule already in the block is kept exactly as it is (a person may have edited its words);
 * - a rule Mycelium wrote before that is no longer there was removed by a person: it is not added again;
 * - only the rest (accepted, never written) is appended.
 * Every rule passes the guard again before it is written; a refused one is left out and reported.
 */
import { defaultRefusal, type Refusal } from './conventionsRule.js';
import { clipText, codeSpan, inlineMarkdown, oneLine } from './safeMarkdown.js';

export const BLOCK_BEGIN = '<!-- mycelium:begin -->';
export const BLOCK_END = '<!-- mycelium:end -->';
const RULE_MARKER = /^<!-- mycelium:rule ([A-Za-z0-9_-]{1,80}) -->[ \t]*$/;

export function ruleMarker(id: string): string {
  return `<!-- mycelium:rule ${id} -->`;
}

export type ConventionsKind = 'agents' | 'claude' | 'copilot' | 'cursor' | 'skill';

export interface ConventionsTarget {
  kind: ConventionsKind;
  /** Path in the repository. */
  path: string;
  /** Cursor rule or skill name (from the path). */
  name: string | null;
}

/** An accepted rule, as the decisions hold it. */
export interface ConventionRule {
  /** The candidate id (stable over the digest's life). */
  id: string;
  title: string;
  text: string;
  /** PR numbers the rule came from. */
  prs: number[];
}

export interface WriteOptions {
  /** `owner/repo` and web root, for PR links. */
  repository: string;
  serverUrl?: string;
  /** Ids Mycelium wrote into this file before (so a missing one was removed by a person). */
  written: ReadonlySet<string>;
  refuse?: Refusal;
}

export interface WriteResult {
  text: string;
  changed: boolean;
  added: string[];
  /** Accepted rules already in the block (kept as they are). */
  kept: string[];
  /** Accepted rules a person removed from the block: not written again. */
  removedByPerson: string[];
  /** Rules the guard refused. */
  refused: string[];
  /** Every rule id in the block after writing. */
  inBlock: string[];
}

export class ConventionsFileError extends Error {
  override name = 'ConventionsFileError';
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The target an input `conventions-file` names: `AGENTS.md` (default), `CLAUDE.md`,
 * `.github/copilot-instructions.md`, `.cursor/rules/<name>.mdc`, or `<dir>/<name>/SKILL.md`.
 */
export function parseConventionsTarget(input: string | null | undefined): ConventionsTarget {
  const path = (input ?? '').trim().replace(/^\.?\/+/, '') || 'AGENTS.md';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..') || /[\\\0]/.test(path)) {
    throw new ConventionsFileError(`conventions-file '${input}' is not a path inside the repository`);
  }
  const base = path.split('/').pop()!;
  if (path === 'AGENTS.md' || base === 'AGENTS.md') return { kind: 'agents', path, name: null };
  if (path === 'CLAUDE.md' || base === 'CLAUDE.md') return { kind: 'claude', path, name: null };
  if (path === '.github/copilot-instructions.md' || /\.instructions\.md$/.test(base)) return { kind: 'copilot', path, name: null };
  const cursor = /^\.cursor\/rules\/(?:.+\/)?([^/]+)\.mdc$/.exec(path);
  if (cursor) {
    if (!NAME.test(cursor[1]!)) throw new ConventionsFileError(`conventions-file '${input}': the rule name must be lower-case letters, digits and dashes`);
    return { kind: 'cursor', path, name: cursor[1]! };
  }
  const skill = /^(?:.+\/)?([^/]+)\/SKILL\.md$/.exec(path);
  if (skill) {
    if (!NAME.test(skill[1]!)) throw new ConventionsFileError(`conventions-file '${input}': the skill folder name must be lower-case letters, digits and dashes (at most 64)`);
    return { kind: 'skill', path, name: skill[1]! };
  }
  throw new ConventionsFileError(
    `conventions-file '${input}' is not one of AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, .cursor/rules/<name>.mdc, skills/<name>/SKILL.md`,
  );
}

/** What a new file of this kind starts with (front matter where the tool needs it). */
export function newFilePreamble(target: ConventionsTarget): string[] {
  const description = 'Conventions this team keeps asking for in code review, written down by Mycelium from accepted skill candidates.';
  if (target.kind === 'cursor') return ['---', `description: ${description}`, 'globs:', 'alwaysApply: true', '---', ''];
  if (target.kind === 'skill') {
    return ['---', `name: ${target.name}`, `description: ${description} Use when writing or reviewing code in this repository.`, '---', '', `# ${target.name}`, ''];
  }
  return [];
}

interface ParsedBlock {
  /** Text before the block (verbatim), the block's inner lines, text after (verbatim). */
  before: string;
  head: string[];
  rules: Array<{ id: string; lines: string[] }>;
  after: string;
  eol: string;
}

function dominantEol(text: string): string {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

function parseBlock(text: string): ParsedBlock | null {
  const begin = findMarkerLine(text, BLOCK_BEGIN, 0);
  if (begin === null) return null;
  const end = findMarkerLine(text, BLOCK_END, begin.lineEnd);
  if (end === null) throw new ConventionsFileError(`the file has '${BLOCK_BEGIN}' but no '${BLOCK_END}' after it; fix the block by hand`);
  const inner = text.slice(begin.lineEnd, end.lineStart);
  const eol = dominantEol(text);
  const lines = inner === '' ? [] : inner.replace(/\r?\n$/, '').split(/\r?\n/);
  const head: string[] = [];
  const rules: ParsedBlock['rules'] = [];
  for (const line of lines) {
    const m = RULE_MARKER.exec(line);
    if (m) rules.push({ id: m[1]!, lines: [line] });
    else if (rules.length) rules[rules.length - 1]!.lines.push(line);
    else head.push(line);
  }
  return { before: text.slice(0, begin.lineStart), head, rules, after: text.slice(end.lineStart), eol };
}

/** The marker on a line of its own, at or after `from`: where the line starts and where the next begins. */
function findMarkerLine(text: string, marker: string, from: number): { lineStart: number; lineEnd: number } | null {
  for (let i = text.indexOf(marker, from); i >= 0; i = text.indexOf(marker, i + 1)) {
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    const nl = text.indexOf('\n', i);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const line = text.slice(lineStart, nl < 0 ? text.length : nl).replace(/\r$/, '');
    if (line.trim() === marker) return { lineStart, lineEnd };
  }
  return null;
}

const DEFAULT_HEAD = ['## Conventions from code review', '', '_Written by Mycelium from candidates the team accepted in its digest issue. Edit or remove a rule here; Mycelium will not add it back._', ''];

/** A rule's lines: its marker, a heading, the sentence, where it came from. */
export function renderRule(rule: ConventionRule, opts: Pick<WriteOptions, 'repository' | 'serverUrl'>): string[] {
  const server = (opts.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const prs = [...new Set(rule.prs)].filter((n) => Number.isSafeInteger(n) && n > 0).sort((a, b) => a - b);
  const shown = prs.slice(0, 10).map((n) => `[#${n}](${server}/${opts.repository}/pull/${n})`);
  if (prs.length > 10) shown.push(`and ${prs.length - 10} more`);
  return [
    ruleMarker(rule.id),
    `### ${inlineMarkdown(clipText(oneLine(rule.title), 80))}`,
    '',
    inlineMarkdown(rule.text, 600),
    '',
    `<sub>From code review in ${shown.join(', ') || 'this repository'} (candidate ${codeSpan(rule.id)}).</sub>`,
    '',
  ];
}

/** Writes `accepted` into `current` (null: the file does not exist yet). See the module comment. */
export function writeConventions(
  current: string | null,
  target: ConventionsTarget,
  accepted: readonly ConventionRule[],
  opts: WriteOptions,
): WriteResult {
  const refuse = opts.refuse ?? defaultRefusal;
  const text = current ?? '';
  const parsed = parseBlock(text);
  const eol = parsed?.eol ?? (current === null ? '\n' : dominantEol(text));
  const present = new Set(parsed?.rules.map((r) => r.id) ?? []);
  const added: string[] = [];
  const kept: string[] = [];
  const removedByPerson: string[] = [];
  const refused: string[] = [];
  const newRules: string[][] = [];
  for (const rule of accepted) {
    if (present.has(rule.id)) kept.push(rule.id);
    else if (opts.written.has(rule.id)) removedByPerson.push(rule.id);
    else if (refuse(rule.title) !== null || refuse(rule.text) !== null) refused.push(rule.id);
    else if (!added.includes(rule.id)) {
      added.push(rule.id);
      newRules.push(renderRule(rule, opts));
    }
  }
  const inBlock = [...present, ...added];
  if (added.length === 0) return { text, changed: false, added, kept, removedByPerson, refused, inBlock };

  let out: string;
  if (parsed) {
    const existingRuleLines = parsed.rules.flatMap((r) => r.lines);
    // Our lines go after the last rule; a person's trailing blank lines stay where they were.
    const inner = [...parsed.head, ...existingRuleLines];
    while (inner.length && inner[inner.length - 1]!.trim() === '' && newRules.length) inner.pop();
    if (inner.length) inner.push('');
    const lines = [...inner, ...newRules.flat()];
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    out = parsed.before + BLOCK_BEGIN + eol + lines.map((l) => l + eol).join('') + parsed.after;
  } else {
    const block = [BLOCK_BEGIN, ...DEFAULT_HEAD, ...newRules.flat()];
    while (block[block.length - 1] === '') block.pop();
    block.push(BLOCK_END);
    if (current === null || current === '') {
      out = [...newFilePreamble(target), ...block].map((l) => l + eol).join('');
    } else {
      // Appended after the team's text: a blank line between, the original bytes untouched.
      const sep = text.endsWith('\n') ? eol : eol + eol;
      out = text + sep + block.map((l) => l + eol).join('');
    }
  }
  return { text: out, changed: out !== text, added, kept, removedByPerson, refused, inBlock };
}

/** The rule ids inside a file's block (empty when there is no block). */
export function ruleIdsInFile(text: string | null): string[] {
  if (!text) return [];
  try {
    return parseBlock(text)?.rules.map((r) => r.id) ?? [];
  } catch {
    return [];
  }
}
