/**
 * `/mycelium …` commands in a comment on the digest issue (SPEC §10). Pure.
 *
 * A command is a line of its own that starts with `/mycelium` (any case, up to three spaces in front):
 *   /mycelium accept 1 3          (also `1,3`, `#1`, `1-3`)
 *   /mycelium reject 2 not our convention
 *   /mycelium retire lsn-0123abcd… [reason]
 *   /mycelium help
 * Several commands per comment are fine. Lines inside fenced or indented code blocks, block quotes and
 * HTML comments are not commands: people quote earlier commands when they discuss them.
 */

export type Command =
  | { verb: 'accept'; numbers: number[] }
  | { verb: 'reject'; numbers: number[]; reason: string }
  | { verb: 'retire'; lessonId: string; reason: string }
  | { verb: 'help' }
  | { verb: 'invalid'; line: string; problem: string };

/** More than this many commands in one comment: the rest are ignored (and reported). */
export const MAX_COMMANDS = 20;
/** Candidate numbers a digest can have (the issue body holds far fewer). */
const MAX_NUMBER = 1_000;
const MAX_LINE = 500;
const MAX_REASON = 300;

const VERBS = ['accept', 'reject', 'retire', 'help'] as const;

/** The lines of `body` that are neither code, quote nor HTML comment. Linear. */
export function commandableLines(body: string): string[] {
  const out: string[] = [];
  let fence: { char: string; len: number } | null = null;
  let inComment = false;
  let previousBlank = true;
  for (const raw of body.split(/\r\n|\r|\n/)) {
    const line = raw.length > 10_000 ? raw.slice(0, 10_000) : raw;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.len) fence = null;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = { char: open[1]![0]!, len: open[1]!.length };
      continue;
    }
    if (/^ {0,3}<!--/.test(line)) {
      if (!line.includes('-->')) inComment = true;
      continue;
    }
    const blank = line.trim() === '';
    // Indented code: four spaces (or a tab) after a blank line; quotes: `>`.
    const indented = /^( {4}|\t)/.test(line) && previousBlank;
    if (!blank && !indented && !/^ {0,3}>/.test(line)) out.push(line);
    if (!indented) previousBlank = blank;
  }
  return out;
}

function parseNumbers(words: string[]): { numbers: number[]; used: number; problem: string | null } {
  const numbers: number[] = [];
  let used = 0;
  for (const word of words) {
    const parts = word.split(',').filter(Boolean);
    if (parts.length === 0) {
      used++;
      continue;
    }
    const parsed: number[] = [];
    for (const part of parts) {
      const m = /^#?(\d{1,4})(?:-#?(\d{1,4}))?$/.exec(part);
      if (!m) return { numbers, used, problem: numbers.length || parsed.length ? null : `'${part.slice(0, 40)}' is not a candidate number` };
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (from < 1 || to < from || to > MAX_NUMBER) return { numbers, used, problem: `'${part}' is not a candidate number (1–${MAX_NUMBER})` };
      for (let n = from; n <= to; n++) parsed.push(n);
    }
    numbers.push(...parsed);
    used++;
  }
  return { numbers, used, problem: null };
}

function parseLine(line: string): Command | null {
  const m = /^ {0,3}\/mycelium(?:\s+|$)(.*)$/i.exec(line.slice(0, MAX_LINE));
  if (!m) return null;
  const words = m[1]!.trim().split(/\s+/).filter(Boolean);
  const verb = (words.shift() ?? 'help').toLowerCase();
  const shown = line.trim().slice(0, 100);
  if (!(VERBS as readonly string[]).includes(verb)) {
    return { verb: 'invalid', line: shown, problem: `unknown command '${verb.slice(0, 40)}' (use accept, reject, retire or help)` };
  }
  if (verb === 'help') return { verb: 'help' };
  if (verb === 'retire') {
    const id = words.shift();
    if (!id || !/^[A-Za-z0-9_.:-]{1,100}$/.test(id)) return { verb: 'invalid', line: shown, problem: 'retire needs a lesson id, e.g. /mycelium retire lsn-0123…' };
    return { verb: 'retire', lessonId: id, reason: words.join(' ').slice(0, MAX_REASON) };
  }
  const { numbers, used, problem } = parseNumbers(words);
  if (problem) return { verb: 'invalid', line: shown, problem };
  if (numbers.length === 0) return { verb: 'invalid', line: shown, problem: `${verb} needs candidate numbers, e.g. /mycelium ${verb} 1` };
  const unique = [...new Set(numbers)];
  if (verb === 'accept') {
    if (used < words.length) return { verb: 'invalid', line: shown, problem: `'${words[used]!.slice(0, 40)}' is not a candidate number` };
    return { verb: 'accept', numbers: unique };
  }
  return { verb: 'reject', numbers: unique, reason: words.slice(used).join(' ').slice(0, MAX_REASON) };
}

/** Every command in a comment, in order (at most {@link MAX_COMMANDS}). */
export function parseCommands(body: string | null | undefined): Command[] {
  if (!body) return [];
  const out: Command[] = [];
  for (const line of commandableLines(body)) {
    const c = parseLine(line);
    if (!c) continue;
    out.push(c);
    if (out.length >= MAX_COMMANDS) break;
  }
  return out;
}

/** True when the comment holds at least one `/mycelium` command line (code and quotes aside). */
export function hasCommands(body: string | null | undefined): boolean {
  return parseCommands(body).length > 0;
}

export const COMMANDS_HELP = [
  '`/mycelium accept 1 3`: accept candidates 1 and 3 of this digest; their rules go into the conventions pull request.',
  '`/mycelium reject 2 not our convention`: reject candidate 2 (the reason is kept); it is not proposed again.',
  '`/mycelium retire <lesson-id>`: retire one lesson; no later digest or file reads it.',
  '`/mycelium help`: this list.',
  'Commands work for people with write access to the repository, one per line, several per comment.',
];
