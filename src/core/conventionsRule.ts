/**
 * A ready-to-paste rule from a candidate's members (docs/architecture.md, data flow, the loop): a short title and one imperative sentence.
 * Pure and deterministic; no model: the representative insight (or the best member the guard lets
 * through), cut to its first sentence, with the hedges of review talk ("we should", "please", "nit:")
 * taken off so it reads as an instruction.
 */
import type { Candidate, MemberLesson } from './distill.js';
import { promptInjectionReason } from './guard.js';
import { clipText, oneLine } from './safeMarkdown.js';

/** Why a text must not reach an issue or a file, or null. Defaults to the injection guard. */
export type Refusal = (text: string) => string | null;

export const defaultRefusal: Refusal = (text) => promptInjectionReason(text);

export interface DraftRule {
  /** Short title, e.g. `Bash: cd git`. */
  title: string;
  /** One imperative sentence. */
  text: string;
  /** The member the sentence was taken from. */
  fromLesson: string;
}

export interface ScreenedCandidate {
  candidate: Candidate;
  rule: DraftRule;
  /** Members the guard let through, representative's first. */
  members: MemberLesson[];
  /** Members the guard refused (never shown). */
  refused: number;
}

const RULE_MAX = 280;
const TITLE_MAX = 60;

/** Key prefixes that name a language or tool, as people write them. */
const PREFIX_NAMES: Record<string, string> = {
  ts: 'TypeScript', typescript: 'TypeScript', js: 'JavaScript', javascript: 'JavaScript', py: 'Python', python: 'Python',
  go: 'Go', rs: 'Rust', rust: 'Rust', rb: 'Ruby', java: 'Java', kt: 'Kotlin', cs: 'C#', cpp: 'C++', sql: 'SQL', sh: 'Shell',
  bash: 'Bash', ci: 'CI', gh: 'GitHub', git: 'Git', docker: 'Docker', k8s: 'Kubernetes', tf: 'Terraform', css: 'CSS',
  html: 'HTML', api: 'API', db: 'Database', test: 'Tests', tests: 'Tests', docs: 'Docs', sec: 'Security', security: 'Security',
};

/** `bash-cd-git` → `Bash: cd git`; `review-tone` → `Review tone`. */
export function ruleTitle(candidateTitle: string): string {
  const words = candidateTitle.split(/[-_\s]+/).filter(Boolean);
  const named = words.length > 1 ? PREFIX_NAMES[words[0]!.toLowerCase()] : undefined;
  const text = named ? `${named}: ${words.slice(1).join(' ')}` : words.join(' ');
  return clipText(text.charAt(0).toUpperCase() + text.slice(1), TITLE_MAX) || 'Convention';
}

/** The first sentence: up to `. `/`! `/`? ` followed by a capital, or a line break. Bounded. */
export function firstSentence(text: string): string {
  const line = text.split(/\r?\n\s*\r?\n|\r?\n(?=\s*[-*\d])/, 1)[0] ?? text;
  const flat = oneLine(line);
  const m = /[.!?](?=\s+[A-Z"'(`])/.exec(flat.slice(0, 2_000));
  return m ? flat.slice(0, m.index + 1) : flat;
}

const HEDGES: ReadonlyArray<RegExp> = [
  /^(?:lesson|nit|nitpick|suggestion|note|tip|rule|convention|fyi|minor)\s*:\s*/i,
  /^(?:please|pls|kindly)\s*,?\s+/i,
  /^(?:i think|i believe|imo|imho|in general|generally|as a rule)\s*,?\s+/i,
  /^(?:we|you|one|they|devs|developers|everyone)\s+(?:should|must|need to|have to|ought to|want to)\s+(?:always\s+)?/i,
  /^(?:it(?:'s| is)\s+(?:better|best|preferable|good practice|safer|cleaner)\s+to)\s+/i,
  /^(?:let's|lets)\s+/i,
];

/** One sentence, as an instruction: hedges off, capitalised, ends with punctuation, at most 280 code points. */
export function imperativeSentence(insight: string): string {
  let s = firstSentence(insight);
  for (let pass = 0; pass < 3; pass++) {
    const before = s;
    for (const h of HEDGES) s = s.replace(h, '');
    if (s === before) break;
  }
  s = s.trim();
  if (Array.from(s).length > RULE_MAX) {
    const cut = Array.from(s).slice(0, RULE_MAX - 1).join('');
    const space = cut.lastIndexOf(' ');
    s = (space > RULE_MAX / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '') + '…';
  }
  if (/^[a-z]/.test(s)) s = s.charAt(0).toUpperCase() + s.slice(1);
  if (!/[.!?…]$/.test(s)) s += '.';
  return s;
}

/**
 * The candidate with its rule, and only the members the guard lets through; null when none is left (or
 * the only usable text is refused).
 */
export function screenCandidate(candidate: Candidate, refuse: Refusal = defaultRefusal): ScreenedCandidate | null {
  const all = candidate.cluster.member_lessons;
  const ok: MemberLesson[] = [];
  let refused = 0;
  for (const m of all) {
    if (refuse(m.insight) !== null || refuse(m.key) !== null) refused++;
    else ok.push(m);
  }
  if (ok.length === 0) return null;
  const rep = candidate.cluster.representative_insight;
  // The representative member when it passes, else the most confident one that does (first on ties).
  const source =
    ok.find((m) => m.insight === rep) ?? [...ok].sort((a, b) => b.confidence - a.confidence)[0]!;
  const text = imperativeSentence(source.insight);
  if (refuse(text) !== null) return null;
  const members = [source, ...ok.filter((m) => m !== source)];
  return { candidate, rule: { title: ruleTitle(candidate.title), text, fromLesson: source.id }, members, refused };
}
