/**
 * Review findings that imply a rule every project keeps: "this change is unrelated, please revert it"
 * (keep a PR to its purpose), "extra print, maybe added for debugging?" (remove debugging leftovers).
 * The reviewer wrote a finding about this diff, not the rule, so the rule is Mycelium's wording of it and
 * the lesson is `inferred` (SPEC §3); the reviewer's words stay in provenance.
 *
 * Each finding needs its marker *and* its own shape, so "unrelated, but this name sounds off", "the CI
 * failure is unrelated" or "let's leave that for a separate PR" are not read as scope rules.
 */

export interface Finding {
  /** Which rule the finding implies. */
  kind: 'pr-scope' | 'debug-leftovers';
  /** The rule, in general words. */
  rule: string;
  /** The sentence (index into the comment's sentences) that carries the finding. */
  index: number;
}

export const FINDING_RULES: Readonly<Record<Finding['kind'], string>> = {
  'pr-scope': 'Keep changes unrelated to the purpose of a pull request out of it; open a separate pull request for them.',
  'debug-leftovers': 'Remove debugging leftovers (debug prints, debugger calls, dead debug branches) before merging.',
};

const CHANGE_NOUN = String.raw`(?:changes?|edits?|fix(?:es)?|modifications?|files?|diffs?|refactor\w*|formatting|reformat\w*|renam\w+|indentation|whitespace)`;

/** The diff (or part of it) said to be outside the PR's purpose. */
const UNRELATED = new RegExp(
  String.raw`\b(?:this|these|that|those|the|some|other|your)\s+(?:\w+\s+){0,2}${CHANGE_NOUN}(?:\s+(?:in|to|of|for|on)\s+\S{1,60}?)?\s+(?:is|are|seems?|looks?|appears?)\s+(?:to\s+be\s+)?(?:\w+\s+)?(?:unrelated|out\s+of\s+scope|not\s+related)\b` +
    String.raw`|\bunrelated\s+(?:\w+\s+)?${CHANGE_NOUN}\b` +
    String.raw`|\b(?:being|is|are|seems?|looks?)\s+unrelated\s+to\s+(?:the\s+|this\s+|your\s+)?(?:actual\s+|main\s+|original\s+)?(?:changes?|pr|pull\s+request|purpose|issue|feature|fix|task|goal)\b`,
  'i',
);
/** "Create a different pull request for …", "move this into its own PR". */
const OWN_PR =
  /\b(?:create|open|submit|send|make|move|split|put|do|raise|file)\b[^.?!]{0,40}\b(?:a\s+|an\s+)?(?:separate|different|new|another|its\s+own|their\s+own|dedicated|follow-?up)\s+(?:pr|pull\s+request|mr|merge\s+request)s?\b/i;
/** What the reviewer asks done about it. */
const SCOPE_REQUEST =
  /\b(?:revert\w*|remove|drop|undo|avoid|exclude|split|separate|back\s+out|don'?t\s+include|do\s+not\s+include|leave\s+(?:it|them|this|these|that)\s+out|keep\s+(?:it|them|this|these)\s+out|create|open|submit|move)\b/i;
/** Not scope: a test or CI failure that is unrelated, or work deferred to a later PR. */
const NOT_SCOPE =
  /\b(?:fail\w*|error|errors|flak\w+|ci|build|check|checks|tests?|warnings?)\s+(?:is|are|seems?|looks?|was|were)\s+(?:\w+\s+)?unrelated\b|\b(?:leave|keep|save|defer|punt)\b[^.?!]{0,40}\bfor\s+(?:a\s+|an\s+)?(?:separate|different|another|follow-?up|future|later|new)\b|\b(?:later|future|follow-?up)\s+(?:pr|pull\s+request)\b/i;

/** Debugging code said to be left in. */
const DEBUG_LEFTOVER =
  /\b(?:left\s?over|stray|extra|forgotten|accidental)\s+(?:debug(?:ging)?\s+)?`?(?:prints?|print\s+statements?|console\.log|debugger|breakpoints?|pdb|dbg!?)\b|\b(?:left\s?over|stray|forgotten)\s+debug(?:ging)?\b|\b(?:added|left|is|are|was|were|looks?\s+like|appears?\s+to\s+be)\s+(?:\w+\s+){0,3}(?:for|from)\s+debug(?:ging)?(?:\s+purposes?)?\b|\bdebug(?:ging)?\s+(?:code|prints?|statements?|output|leftovers?)\s+(?:left|still|remain\w*)\b/i;
/** "Remove the debug print", "delete this debugging code": a removal asked for in so many words. */
const DEBUG_REMOVAL =
  /\b(?:remove|delete|drop|clean\s+up|get\s+rid\s+of)\s+(?:the\s+|this\s+|these\s+|that\s+|all\s+)?(?:\w+\s+)?(?:debug(?:ging)?\s+(?:code|prints?|statements?|output|logs?|lines?)|print\s+statements?\s+(?:used\s+)?for\s+debug\w*|console\.log\s+calls?|breakpoints?|pdb\s+calls?)\b/i;

/** The finding of a comment's sentences, if one implies a rule; the first sentence that carries it. */
export function findingOf(sentences: readonly string[]): Finding | null {
  const text = sentences.join(' ');
  if (text.length > 2000) return null;
  const at = (re: RegExp): number => sentences.findIndex((s) => re.test(s));
  if (!NOT_SCOPE.test(text) && SCOPE_REQUEST.test(text)) {
    const unrelated = at(UNRELATED);
    const i = unrelated >= 0 ? unrelated : at(OWN_PR);
    if (i >= 0) return { kind: 'pr-scope', rule: FINDING_RULES['pr-scope'], index: i };
  }
  const leftover = at(DEBUG_LEFTOVER);
  const d = leftover >= 0 ? leftover : at(DEBUG_REMOVAL);
  if (d >= 0) return { kind: 'debug-leftovers', rule: FINDING_RULES['debug-leftovers'], index: d };
  return null;
}
