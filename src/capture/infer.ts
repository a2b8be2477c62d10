/**
 * Inferred lessons: does a review point read as a reusable rule, and which sentence states it?
 *
 * Each sentence gets a score: directive cues (imperatives, should/must, prefer/avoid, instead of, never/
 * always, conventions) add; hedges, deictic references to this very line or file, trivial fixes (typos,
 * unused imports, reverts) and long lists of literals subtract. Questions, praise and code-only lines
 * score nothing. The best sentence at or above the threshold becomes the insight.
 */
import type { LessonType } from '../core/lesson.js';
import { words } from './clean.js';
import { baseOfGerund } from './gerund.js';
import { derivedRule, type RuleForm } from './ruleForms.js';

export interface SentenceScore {
  score: number;
  /** Why it scored: cue names, for provenance and tests. */
  cues: string[];
  /** Set when the sentence cannot be a rule at all (question, praise, too short, ...). */
  reject: string | null;
  /**
   * How the rule is put: `directive` when the reviewer states it in their own words (an imperative, a
   * polite request, should/must/never/prefer/avoid); the other forms need Mycelium to derive the rule.
   */
  form: RuleForm;
  /** The sentence as a rule, when the form had to be rewritten ("Why not X?" → "Consider X."). */
  rewritten: string | null;
}

export type { RuleForm };

const words_ = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Verbs that open general rules: "Use …", "Avoid …", "Check … before …". */
const RULE_VERBS = new Set(
  words_(`use avoid prefer keep check validate verify ensure handle catch raise throw return pass quote escape
  sanitize pin guard wrap close await lock limit restrict require enforce prevent treat stick reserve favor favour
  follow compare default clamp cap bound narrow only always never do`),
);

/** Verbs that open change requests, mostly about this diff: "Add …", "Rename …", "Update … to reflect …". */
const CHANGE_VERBS = new Set(
  words_(`add remove replace rename move update delete drop revert bump put split extract inline convert document
  mention explain clarify describe apply annotate sort group order align indent trim strip simplify refactor
  consolidate centralize separate make write test assert mock stub create generate import export specify provide
  set initialize initialise define declare mark include exclude store cache read open fetch parse serialize encode
  decode normalize name type format lint upgrade downgrade call run log iterate memoize retry batch stream release
  free unlock reuse skip change provide give fix squash rebase chop shorten rewrite reword restructure rephrase limit link cite
  reference describe introduce expose hide`),
);

/** Third-person verbs and auxiliaries: "Test uses wrong key", "Tests use ..." read as statements, not orders. */
const STATEMENT_SECOND_WORD =
  /^(uses|use|returns|calls|causes|breaks|fails|crashes|throws|raises|leaks|allows|creates|checks|runs|passes|handles|makes|needs|reads|writes|sets|gets|skips|misses|ignores|exits|loses|contains|contradicts|relies|assumes|overrides|shadows|duplicates|records|bypasses|accepts|rejects|produces|sends|applies|affects|hides|swallows|masks|depends|triggers|matches|lacks|treats|references|mentions|is|are|was|were|has|have|had|does|do|did|can|could|will|would|may|might|must|should|shall|isn't|aren't|doesn't|don't|didn't|won't|not|only|never|always|still|now|already|also)$/;

const QUESTION_START =
  /^(why|how|what|where|when|which|who|whom|whose|is|are|was|were|does|did|can|could|would|will|shall|should|has|have|had|isn't|aren't|doesn't|didn't|won't|wouldn't|shouldn't|couldn't|hasn't|haven't|am|any reason|wdyt|thoughts|do (we|you|i|they|these|those|this|it|all)\b)\b/i;

/** "When adding an option, …", "If you touch the parser, …": a condition before the main clause. */
const CONDITION_FIRST = /^(?:if|when|whenever|unless|before|after)\b[^,;:?]{3,120}[,;:]\s*/i;

/** "Should add …", "must be …": a modal opening a sentence with no subject after it (not "Should we …"). */
const SUBJECTLESS_MODAL =
  /^(?:should|must)(?:\s+(?:also|probably|really|definitely|always|never))?\s+(?!(?:we|you|i|they|it|this|that|these|those|the|a|an|he|she|there|our|your|my|not)\b)([a-z]+)\b/i;

const HEDGE =
  /\b(i'?m not sure|not sure|not 100% sure|i wonder|wondering|maybe|perhaps|possibly|not a blocker|non-blocking|just (a )?(fyi|thought|comment|curious|nit)|fyi|out of curiosity|i guess|for a second|kind of wish|happy to|no strong opinion|up to you|your call|feel free|i don'?t (think|know|mind|love)|not (really )?(necessary|needed|required) (here|now)|personal taste|if you want|optional|probably|(?:may|might)\s+(?:need|have)\s+to|(?:it\s+)?may\s+turn\s+out)\b/i;

const PRAISE_WORDS = /^(nice|great|good|cool|neat|awesome|perfect|excellent|lgtm|thanks?|thank you|wow|love)\b/i;

const LABEL = /^(nit|nitpick|suggestion|issue|question|praise|note|minor|major|optional|chore|todo|thought|fyi|style|blocking|non-blocking|polish|typo|bug|security|performance|important|critical|warning|tip)(\s*\([^)]*\))?\s*:\s*/i;

export function stripLabel(s: string): { label: string | null; text: string } {
  const m = LABEL.exec(s);
  if (!m) return { label: null, text: s };
  return { label: m[1]!.toLowerCase(), text: s.slice(m[0].length) };
}

/** Severity headers and other one-line badges that reviewer bots put before the point. */
const HEADER_LINE =
  /^(potential issue|refactor suggestion|nitpick( comment)?|verification agent|outside diff range( comment)?|duplicate comment|(minor|major|critical|trivial|low|medium|high)( severity)?|caution|warning|note|tip|important)(\s*\|\s*(minor|major|critical|trivial|info|low|medium|high)( severity)?)*\s*$/i;

function firstWords(s: string, n: number): string[] {
  return (s.toLowerCase().match(/[a-z0-9'’]+/g) ?? []).slice(0, n).map((w) => w.replace(/’/g, "'"));
}

/**
 * "Test design issue: completion phrases tested …" → the text after a short label (≤ 4 words, no code).
 * The label is not part of the rule; the rest is scored on its own.
 */
export function dropShortLabel(s: string): string {
  const m = /^([^:`]{1,40}):\s+(\S.*)$/.exec(s);
  if (!m || m[1]!.trim().split(/\s+/).length > 4 || /\b(should|must|never|always|use|avoid|prefer)\b/i.test(m[1]!)) return s;
  return m[2]!;
}

/** Quoted phrases and inline code are mentions, not directives: "must" inside “…” does not count. */
function neutralizeMentions(s: string): string {
  return s.replace(/“[^“”]*”|"[^"]*"|`[^`]*`|‘[^‘’]*’|(?<=^|[\s(])'[^']{3,}'(?=$|[\s.,;:!?)])/g, ' Q ');
}

/** "It is better to …", "make it easy": an `it` that refers to nothing. */
function withoutExpletiveIt(s: string): string {
  return s.replace(/\b(it'?s|it is|it'?d|it would|it will|it may|it might|it can|make(s)? it|keep(s)? it|is it)\b/gi, ' ');
}

/** Code pasted into prose: comparisons, call-and-colon, statements, unbalanced quotes or brackets. */
function looksLikeCode(s: string): boolean {
  const bare = s.replace(/`[^`]*`/g, ' ');
  if (/[=<>!]=|\)\s*:|\bdef \w+\(|\breturn \w+\(|;\s*$|\{\s*$|=>/.test(bare)) return true;
  if (/^\s*(if|for|while|return|raise|def|class|import|from|elif|else)\b[^.]*[:(]/.test(bare)) return true;
  const count = (re: RegExp) => (bare.match(re) ?? []).length;
  return count(/\(/g) !== count(/\)/g) || count(/"/g) % 2 === 1 || count(/\[/g) !== count(/\]/g);
}

/** "Could you …?", "Can we …?", "Would you mind …?": a polite request is an imperative. */
const POLITE_REQUEST =
  /^(?:(?:please|also|so|and|but|generally|ideally|then|just)\s*,?\s+){0,3}(?:(?:can|could|would|will)\s+(?:you|we|u)(?:\s+(?:please|maybe|also|just))?|would\s+you\s+mind|do\s+you\s+mind|(?:i|we)\s+(?:would|'d)\s+(?:like|want)\s+(?:you\s+|us\s+)?to)\s+(?=[a-z])/i;

/** ": `name`" after the rule: the instance it was applied to ("Please add a type hint for: `x`"). */
const INSTANCE_TAIL =
  /(?:\s*:\s*(?:`[^`\n]{1,80}`[\s,]*){1,4}|\s+(?:for|in|of|on)\s+(?:the\s+)?(?:function|parameter|method|class|variable|argument|file|module)s?\s*:?\s*(?:`[^`\n]{1,80}`[\s,]*){1,4})\.?$/;

/**
 * "Ensure this change works", "Verify the implementation is tested": true of every PR, so no rule. Passing a
 * named checker ("make sure the code passes ruff") is the project's rule, not a generic one.
 */
const GENERIC_REQUEST =
  /^(?:please\s+)?(?:ensure|make\s+sure|verify|confirm|double[- ]check|check)\s+(?:that\s+)?(?:this|the|these|your|all|any)?\s*(?:new\s+)?(?:change|changes|pr|fix|fixes|code|implementation|feature|functionality|logic|behaviou?r)\s+(?:is|are|has|have|works?|still\s+works?|pass(?:es)?(?!\s+(?:through\s+|with\s+)?(?:`|\w*lint|ruff|flake8|mypy|pyright|black|isort|prettier|tsc|clippy|rustfmt|gofmt|rubocop|shellcheck|pre-commit|codespell|type[- ]?check))|behaves?|handles?|does|doesn't|is\s+covered|are\s+covered)\b/i;

/** "Please check the comments in the diff", "see my suggestions above": a pointer to the review, not a rule. */
const READ_MY_REVIEW =
  /^(?:please\s+)?(?:check|see|read|look\s+at|address|resolve)\s+(?:the|my|our|all\s+(?:the\s+)?|these|those)?\s*(?:other\s+)?(?:comments?|suggestions?|feedback|review|remarks|notes)\b(?!\s+(?:in|of)\s+(?:the\s+)?(?:code|docs?|docstrings?)\s+(?:before|when|for))/i;

/** Code spans that name this diff's own identifiers (`create_campaign`, `fetchUser`); dotted library names do not count. */
const LOCAL_IDENTIFIER = /`[A-Za-z]\w*_\w+`|`[a-z]+[A-Z]\w*`/g;

/**
 * How far a rule sentence carries over to other PRs, for choosing the 0–5 of a PR: identifiers local to
 * the diff and deictic words count against it, general words for it. Higher is more general.
 */
export function generality(rule: string): number {
  const prose = neutralizeMentions(rule);
  let g = 0;
  g -= Math.min(3, (rule.match(LOCAL_IDENTIFIER) ?? []).length);
  if (/\b(this|that|these|those|here)\b/i.test(prose)) g -= 1;
  if (/\b(always|never|every|whenever|instead of|rather than|in general|everywhere|all)\b/i.test(prose)) g += 1;
  if (PRACTICE.test(prose)) g += 1;
  return g;
}

/**
 * Words that name a general practice (typing, docs, tests, naming, errors, style, safety, process): a
 * request about one of these carries over to other PRs more often than a request about this code.
 */
const PRACTICE =
  /\b(type[ -]?hints?|type annotations?|annotat\w+|typing|return types?|docstrings?|doctests?|documentation|docs|comments?|tests?|test cases?|unit tests?|regression tests?|fixtures?|assertions?|asserts?|mocks?|naming|names?|snake[_ ]case|camel[_ ]?case|capwords|pascal[_ ]?case|kebab[_ ]case|constants?|magic (numbers?|strings?|values?)|enums?|dataclass(es)?|context managers?|exceptions?|error messages?|error handling|errors?|logging|loggers?|logs?|log messages?|warnings?|imports?|dependenc(y|ies)|globals?|side effects?|readab\w+|maintainab\w+|consisten\w+|conventions?|style|pep ?\d+|lint\w*|pre-commit|ruff|flake8|pylint|mypy|pyright|isort|eslint|prettier|clippy|rustfmt|gofmt|rubocop|shellcheck|codespell|format\w*|line length|characters per line|backward\w*[ -]compatib\w*|compatib\w*|deprecat\w+|public api|private|keyword[ -]only|arguments?|parameters?|default values?|f-strings?|comprehensions?|generators?|early returns?|nesting|nested|elif|ternar\w+|helpers?|duplicat\w+|hard-?cod\w+|secrets?|credentials?|validat\w+|edge cases?|invalid inputs?|timeouts?|retries|thread[ -]safe\w*|locks?|async|await|performance|security|escap\w+|sanitiz\w+|versions?|pinn?\w*|changelogs?|release notes|commit messages?|migrations?|transactions?|descriptive|abbreviations?|single letters?|variables?|functions?|methods?|classes|modules?|scope|unrelated changes|commits?|squash\w*|rebas\w*|CI|continuous integration|debug\w*|print statements?|todos?|sources?|references?|links?|citations?)\b/i;

/** A code span that names a construct of the language rather than this diff's code: `elif`, `ValueError`. */
const LANGUAGE_CONSTRUCT =
  /`(?:assert|elif|else|try|except|finally|raise|return|yield|lambda|with|async|await|print|isinstance|enumerate|zip|range|dict|list|set|tuple|frozenset|enum|Enum|dataclass|@dataclass|@property|@staticmethod|@classmethod|None|null|undefined|any|unknown|const|let|var|interface|type|switch|match|case|goto|defer|unsafe|unwrap|expect|panic|f-strings?|[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception|Warning))`/;

/** Linters, formatters and type checkers by name ("black" only in a code span: alone it is a colour). */
const CHECKER_NAMES = 'pre-commit|ruff|isort|flake8|pylint|mypy|pyright|eslint|prettier|tsc|clippy|rustfmt|gofmt|go fmt|go vet|staticcheck|golangci-lint|rubocop|shellcheck|codespell';
const CHECKER_SPAN = new RegExp(`\`\\s*(?:${CHECKER_NAMES}|black|cargo (?:fmt|clippy))\\b[^\`]*\``, 'i');

/** "This is deprecated, use `pathlib` instead", "… library code; use the logger": the verb of an imperative clause. */
function midImperative(sentence: string): string | null {
  for (const m of sentence.matchAll(/[,;:\u2013\u2014]\s+(?:(?:please|just|so|then|and|rather|instead)\s*,?\s+){0,2}([a-z]+)\s+(?!(?:is|are|was|were|would|will|can|to|it|this|that)\b)\S/gi)) {
    const v = m[1]!.toLowerCase();
    if (RULE_VERBS.has(v) || CHANGE_VERBS.has(v)) return v;
  }
  return null;
}

/** Scores one cleaned sentence. */
export function scoreSentence(input: string): SentenceScore {
  const cues: string[] = [];
  let form: RuleForm = 'directive';
  let rewritten: string | null = null;
  const no = (reject: string): SentenceScore => ({ score: 0, cues, reject, form, rewritten: null });
  const { label, text } = stripLabel(input.trim());
  if (label === 'question' || label === 'praise' || label === 'thought') return no(label);
  const labelled = dropShortLabel(text.trim()).trim();
  let s = labelled.replace(INSTANCE_TAIL, '');
  if (HEADER_LINE.test(s)) return no('header');
  if (PRAISE_WORDS.test(s) && !/\b(but|though|however|should|must|instead)\b/i.test(s)) return no('praise');
  // A polite request is the reviewer's own directive; a suggesting question, a comparative or a statement of
  // the project's practice is a rule Mycelium has to put in words.
  // "As there is no test file …, please provide a doctest": the request is the clause from "please" on.
  const asWritten = labelled;
  const midPlease = /^(?:[^.?!]|[.?!](?=\S)){12,200}?[,;:]\s+(please\s+[a-z][^]*)$/i.exec(s);
  if (midPlease) s = midPlease[1]!;
  // "Please no snake_case class names": a negative request without its verb.
  const pleaseNo = /^(?:please\s+)?no\s+(?![,.!]|\w+\s*[,.!]?$)(?=[\w`])/i.exec(s);
  if (pleaseNo && /^please/i.test(s)) s = `Don't use ${s.slice(pleaseNo[0].length)}`;
  const politeRequest = POLITE_REQUEST.exec(s);
  if (politeRequest) {
    s = s.slice(politeRequest[0].length).replace(/\s*\?+\s*[)"'`]*\s*$/, '');
    // "Would you mind squashing these commits?" asks for "squash these commits".
    s = s.replace(/^mind\s+([a-z]+)ing\b/i, (_, stem: string) => baseOfGerund(stem));
    rewritten = s[0]!.toUpperCase() + s.slice(1);
    cues.push('polite request');
  } else {
    const derived = derivedRule(s);
    if (derived) {
      form = derived.form;
      s = rewritten = derived.rule;
      cues.push(derived.form);
    }
  }
  // "Should add a test for …", "should be lazy loaded …": a modal with its subject left out states a rule.
  const subjectless = !politeRequest && form === 'directive' && SUBJECTLESS_MODAL.exec(s);
  if (subjectless && !/\?[\s)"'`]*$/.test(s)) {
    const verb = subjectless[1]!.toLowerCase();
    if (RULE_VERBS.has(verb) || CHANGE_VERBS.has(verb)) s = rewritten = s.slice(subjectless[0].length - subjectless[1]!.length).replace(/^[a-z]/, (x) => x.toUpperCase());
  } else if (!politeRequest && form === 'directive' && (/\?[\s)"'`]*$/.test(s) || (QUESTION_START.test(s) && !CONDITION_FIRST.test(s))))
    return no('question');
  if (rewritten === null && s !== asWritten) rewritten = s[0]!.toUpperCase() + s.slice(1);
  if (GENERIC_REQUEST.test(s) || READ_MY_REVIEW.test(s)) return no('generic request');
  const ws = words(s);
  if (ws.length < 4 && !(rewritten && ws.length >= 3)) return no('too short');
  const codeChars = (s.match(/`[^`]*`/g) ?? []).join('').length;
  if (codeChars / Math.max(1, s.length) > 0.7) return no('mostly code');
  const c = neutralizeMentions(s);

  let score = 0;
  let directive = false;
  const add = (n: number, cue: string, isDirective = false) => {
    score += n;
    cues.push(cue);
    if (isDirective) directive = true;
  };

  // Imperative opening, optionally after "please", "also", "so", "then", "just", "let's".
  // "When adding an option, add a test for it": the imperative follows the condition.
  const head = firstWords(c.replace(CONDITION_FIRST, ''), 5);
  let i = 0;
  let polite = politeRequest !== null;
  let lets = false;
  while (i < head.length && /^(please|pls|also|so|then|just|and|but|generally|ideally|instead|here|always)$/.test(head[i]!)) {
    if (head[i] === 'please' || head[i] === 'pls') polite = true;
    if (head[i] === 'always') add(1, 'always');
    i++;
  }
  if (head[i] === "let's" || (head[i] === 'let' && head[i + 1] === 'us') || head[i] === 'lets') {
    lets = true;
    i += head[i] === 'let' ? 2 : 1;
  }
  // "Make sure …" is "Ensure …", a rule verb, not the change verb "make".
  let afterClause: string | null;
  const makeSure = head[i] === 'make' && head[i + 1] === 'sure';
  const verb = makeSure ? 'ensure' : head[i];
  const next = head[i + (makeSure ? 2 : 1)] ?? '';
  const negative = verb === "don't" || verb === 'dont' || (verb === 'do' && next === 'not') || verb === 'never';
  if (verb && negative) {
    add(2.5, 'negative imperative', true);
  } else if (verb && !STATEMENT_SECOND_WORD.test(next) && (RULE_VERBS.has(verb) || CHANGE_VERBS.has(verb))) {
    const rule = RULE_VERBS.has(verb);
    const weight = rule ? (polite ? 1.5 : lets ? 1.5 : 2) : polite ? 1 : 1.25;
    add(weight, `${polite ? 'please + ' : lets ? "let's + " : ''}${rule ? 'rule verb' : 'change verb'} "${verb}"`, true);
  } else if (verb === 'consider' || verb === 'try') {
    add(0.75, 'consider', true);
  } else if (/[,;]\s+(?:please\s+)?consider\s+\w+ing\b/i.test(c)) {
    add(0.75, 'consider', true);
  } else if ((afterClause = midImperative(c))) {
    add(RULE_VERBS.has(afterClause) ? 1.25 : 1, `imperative after a clause "${afterClause}"`, true);
  } else if (form !== 'directive') {
    // A rule put in words from a suggestion's frame opens with its verb, whichever verb that is.
    add(1.25, 'derived rule', true);
  }

  // Modal verbs in lower case or RFC 2119 upper case; a capitalized "Should" mid-sentence is a priority label.
  if (/\b(must|MUST)(n'?t| not| NOT)?\b(?! have\b)/.test(c)) add(2, 'must', true);
  else if (/\b(should|SHOULD)(n'?t| not| NOT)?\b/.test(c)) add(1.5, 'should', true);
  else if (/\byou (?:will )?(?:need|have) to (?!be\b|have\b|do\b)[a-z]/i.test(c)) add(1.5, 'you need to', true);
  else if (/\b(needs?|have|has) to\b|\b(is|are) required\b/i.test(c)) add(1, 'need to', true);
  if (/\bprefer(red|ably|s)?\b/i.test(c) && verb !== 'prefer') add(1.5, 'prefer', true);
  if (/(?<!\bto )\bavoid(s|ed)?\b/i.test(c) && verb !== 'avoid') add(1.5, 'avoid', true);
  if (/\b(instead of|rather than|in favou?r of)\b/i.test(c) || /\w,\s+(?:and\s+)?not\s+(?:a\s+|an\s+|the\s+)?[\w`]/i.test(c)) add(1, 'instead of');
  else if (/\binstead\b/i.test(c)) add(0.5, 'instead');
  if (/\b(always|never)\b/i.test(c) && !cues.includes('always') && !negative) add(1, 'always/never', true);
  if (/\b(it'?s|it is|is) (much |generally )?(better|best|preferable|safer|cleaner|good practice|recommended|idiomatic|discouraged) to\b/i.test(c))
    add(1.5, 'better to', true);
  if (/\b(best practice|idiomatic|un-?pythonic|anti-?pattern|code smell)\b/i.test(c)) add(1, 'best practice');
  if (/\bi('d| would)? (suggest|recommend|propose)\b|\bsuggest (to|that|we|using)\b|\bi(?:'d| would) rather\b|\bi (?:generally |usually )?prefer (?:to )?(?:not )?(?:use|using|have|keep|avoid|do|write|put)\b/i.test(c)) add(1, 'suggest', true);
  if (/\b(in this (repo|repository|codebase|project)|elsewhere in|other (docs|files|modules|tests|places|components|providers|handlers)|the rest of the (code|codebase|repo)|repo practices?|(coding|style) guidelines?|conventions?|for consistency|consistent(ly)? with)\b/i.test(c))
    add(0.75, 'convention');
  if (/\b(every|all|any|whenever|in general|generally|as a rule|throughout|everywhere)\b/i.test(c)) add(0.5, 'general');
  if (/\b(to avoid|so that|otherwise|to prevent|to make sure|to ensure|to help|to keep|for (?:better )?(?:readability|clarity|consistency|maintainability|safety|performance)|because|since|which (prevents|avoids|ensures|makes)|to make it (easy|easier|clear|clearer|obvious|harder|simpler|safer))\b/i.test(c))
    add(0.5, 'justified');

  if (!directive) return no('no directive');
  if (PRACTICE.test(c)) add(0.75, 'names a practice');
  else if (LANGUAGE_CONSTRUCT.test(s)) add(0.5, 'names a language construct');
  else if (CHECKER_SPAN.test(s)) add(0.75, 'names a checker');

  // What makes a point local to this diff rather than a rule.
  if (/\b(this|that|these|those) (line|lines|file|files|function|method|class|test|tests|pr|change|changes|variable|block|case|one|part|section|commit|diff|snippet|hunk|call|import|comment|bullet|doc|paragraph|table|field|parameter|argument|script|step|check|value|list|loop|condition|branch|logic|code|example|message|name|type|query|module|component|endpoint|config|option|key|label|flag|string|dictionary|dict|object|array|regex|pattern|docstring|operation|approach|implementation|behavior|behaviour|method|call|test|situation)\b/i.test(c))
    add(-0.75, 'deictic');
  else if (/\b(this|these)\b(?!\s+(is|was|will|would|should|can|could|may|might|means|prevents|avoids|ensures|makes|way|keeps)\b)/i.test(c))
    add(-0.5, 'deictic');
  if (/\bhere\b/i.test(c)) add(-0.75, 'here');
  if (/\b(above|below)\b/i.test(c)) add(-0.5, 'above/below');
  if (/\bthe same\b(?! (way|as|name|type|order))/i.test(c)) add(-1, 'the same');
  if (/\b(it|them|its)\b/i.test(withoutExpletiveIt(c))) add(-0.5, 'pronoun');
  if (/\beither\b/i.test(c)) add(-0.5, 'alternatives');
  if (/\blines? \d+|\bL\d+\b|#L\d+/i.test(s)) add(-1, 'line number');
  if (/\b(typos?|spelling|misspell\w*|grammar|whitespace|indentation|trailing (space|whitespace|newline|comma)|blank lines?|extra space|missing space|double space)\b/i.test(c))
    add(-2, 'trivial fix');
  if (/\b(revert|unrelated|accidentally|leftover|debug(ging)? (code|print|statements?)|merge conflict)\b/i.test(c)) add(-1.5, 'housekeeping');
  if (/\b(unused|not used|never used|is redundant|are redundant)\b/i.test(c)) add(-1, 'unused/redundant');
  if (/\bthanks?\b|\bthank you\b/i.test(c)) add(-0.5, 'thanks');
  if (/:\s*$/.test(s)) add(-1.5, 'points at following code');
  if (/\bto (?:reflect|match) (?:the )?(?:current|new|updated|latest|actual|implemented)\b/i.test(c)) add(-1, 'describes this change');
  if (HEDGE.test(c)) add(-1.25, 'hedge');
  // "I think you should …" is the reviewer's directive, politely put; other first person is their own story.
  const ownStory = c.replace(/\b(?:i\s+(?:think|believe|feel|guess)|imo|imho)\s*,?\s+(?:that\s+)?(?=(?:you|we)\s+(?:should|must|need|have)\b)/gi, '');
  if (/\b(i|me|my)\b/i.test(ownStory) && !cues.includes('suggest')) add(-0.5, 'first person');
  const identifiers = s.match(/\b[A-Z]{2,}-\d+\b|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b/g) ?? [];
  if (identifiers.length >= 2) add(-0.5, 'names specific identifiers');
  const numbers = s.match(/(?<![\w.])-?\d+(\.\d+)?(?![\w.])/g) ?? [];
  if (numbers.length >= 3) add(-1, 'literal list');
  if (ws.length > 55) add(-1, 'long');
  if (looksLikeCode(s)) add(-1.5, 'code-like');
  return { score, cues, reject: null, form, rewritten };
}

export const DEFAULT_DIRECTIVE_THRESHOLD = 2;
/** For a trusted human's point whose thread was resolved or whose line changed afterwards. */
export const DEFAULT_ACTED_ON_THRESHOLD = 1.5;
/** For a trusted human's point the PR author answered with "done", "added …": requests count too. */
export const DEFAULT_REPLIED_THRESHOLD = 1;

export interface DirectivePick {
  /** The sentence as written. */
  sentence: string;
  /** The sentence as a rule, when its form had to be rewritten. */
  rule: string;
  form: RuleForm;
  index: number;
  score: number;
  cues: string[];
}

/**
 * The best-scoring sentence of a point, or null with the reason of the best rejected one.
 * Ties keep the earlier sentence (titles come first in reviewer-bot comments).
 */
export function pickDirective(
  sentences: readonly string[],
  threshold = DEFAULT_DIRECTIVE_THRESHOLD,
): { pick: DirectivePick | null; reason: string } {
  let best: DirectivePick | null = null;
  const rejects = new Map<string, number>();
  sentences.forEach((sentence, index) => {
    const r = scoreSentence(sentence);
    if (r.reject) {
      rejects.set(r.reject, (rejects.get(r.reject) ?? 0) + 1);
      return;
    }
    if (!best || r.score > best.score) best = { sentence, rule: r.rewritten ?? sentence, form: r.form, index, score: r.score, cues: r.cues };
  });
  const b = best as DirectivePick | null;
  if (b && b.score >= threshold) return { pick: b, reason: 'directive' };
  if (b) return { pick: null, reason: `weak directive (score ${b.score.toFixed(2)} < ${threshold}: ${b.cues.join(', ')})` };
  if (rejects.size === 0) return { pick: null, reason: 'empty after cleaning' };
  const order = ['question', 'praise', 'no directive', 'mostly code', 'too short', 'header'];
  const main = order.find((r) => rejects.has(r)) ?? [...rejects.keys()][0]!;
  if (main === 'question' && [...rejects.keys()].every((r) => r === 'question' || r === 'too short' || r === 'header' || r === 'praise'))
    return { pick: null, reason: 'question' };
  if ([...rejects.keys()].every((r) => r === 'praise' || r === 'too short')) return { pick: null, reason: rejects.has('praise') ? 'praise' : 'too short' };
  return { pick: null, reason: rejects.has('no directive') ? 'no directive' : main };
}

/** "Instead, …", "Similarly, …": a sentence that continues the one before it. */
const CONTINUATION = /^(?:instead|similarly|likewise|otherwise|in that case|for the same reason)\b/i;

const ANAPHORA = /\b(it|its|them|they|these|those|the same|such)\b|\b(this|that)\b(?=\s*[.,;:!?)]|\s*$|\s+(is|was|will|would|should|can|could|may|might|one)\b)/i;

/**
 * The picked sentence, preceded by the sentence before it when it leans on that one ("… please add it",
 * "Do not repeat them …") and the two fit in `max` characters: a rule has to stand on its own.
 */
export function withContext(sentences: readonly string[], pick: DirectivePick, max = 300): string {
  const own = pick.rule;
  const leans = CONTINUATION.test(own) || ANAPHORA.test(withoutExpletiveIt(neutralizeMentions(own)));
  if (pick.index === 0 || !leans) return own;
  const prev = sentences[pick.index - 1]!;
  const r = scoreSentence(prev);
  if (r.reject === 'question' || r.reject === 'praise' || r.reject === 'header' || r.reject === 'mostly code' || prev.length < 20) return own;
  // "Would you mind resolving them?": a request about this PR that itself leans further back explains nothing.
  if (/\?[\s)"'`]*$/.test(prev)) return own;
  if (looksLikeCode(prev) || /:\s*$/.test(prev) || /^(for example|e\.g\.|for instance)\b/i.test(prev)) return own;
  if (/\b(is|looks|seems) (correct|good|fine|great|right|reasonable)\b|\b(could|might) (potentially )?be\b/i.test(prev)) return own;
  const joined = `${prev.replace(/(?<![\s.;:?!])[\s.;:]*$/, '.')} ${own}`;
  return joined.length <= max ? joined : own;
}

const LEADING_FILLER =
  /^(?:(?:\+1\b[^,.;]{0,60},\s*(?:though|but|however)|please|pls|also|so|then|just|and|but|ok|okay|ideally|generally speaking|in general|imo|imho|fwiw|i think|i believe|i feel|i'd say|however|therefore|thus|hence|additionally|in addition|moreover|furthermore|as such|finally|overall|note that|in any case|anyway)\s*,?\s+)+/i;

/**
 * Turns the picked sentence into a clean, self-contained rule sentence: no label or filler in front,
 * "let's" dropped, first letter upper-cased, one final period, examples in parentheses dropped when long,
 * at most `max` characters (cut at a clause boundary). Null when nothing usable remains.
 */
export function normalizeInsight(sentence: string, max = 300): string | null {
  let s = dropShortLabel(stripLabel(sentence.trim()).text.trim());
  s = s.replace(LEADING_FILLER, '');
  s = s.replace(/^(?:let'?s|let us)\s+/i, '');
  const suggested = /^(?:i(?:'d| would)? (?:suggest|recommend|propose)(?: that| to)?|i(?:'d| would) rather)\s+/i.exec(s);
  if (suggested) {
    s = s.slice(suggested[0].length);
    // "I'd suggest breaking long lines" suggests "Break long lines".
    s = s.replace(/^([a-z]+)ing\b(?!\s+(?:is|are|was|would|will|should|can|could)\b)/i, (_, stem: string) => baseOfGerund(stem));
  }
  s = s.replace(/\[\^\w+\]/g, '').replace(/\s+/g, ' ').trim();
  if (s.length > 160) s = s.replace(/\s*\((?:e\.g\.?|i\.e\.?|see|for example|like|such as|lines?)\b[^()]*\)/gi, '');
  s = s.replace(/(?<![\s,;:–—-])[\s,;:–—-]+$/, '');
  if (!/[.!?`)"'。！？]$/.test(s)) s += '.';
  s = s.replace(/(?<!!)!+$/, '.');
  if (s.length > max) {
    const cut = s.slice(0, max);
    const at = Math.max(cut.lastIndexOf('; '), cut.lastIndexOf(', '), cut.lastIndexOf(' — '), cut.lastIndexOf(' - '));
    if (at < 60) return null;
    s = cut.slice(0, at).replace(/[\s,;:–—-]+$/, '') + '.';
  }
  if (/^[a-z]/.test(s)) s = s[0]!.toUpperCase() + s.slice(1);
  return s.length >= 10 ? s : null;
}

const FAILURE =
  /\b(crash\w*|leak\w*|race\w*|deadlock\w*|break\w*|fail\w*|errors?|exceptions?|raises?|overflow\w*|injection|security|vulnerab\w*|corrupt\w*|lose|lost|silent(ly)?|hangs?|timeouts?|undefined|null|nan|division by zero|keyerror|typeerror|valueerror|panic\w*|unsafe)\b/i;
const NEGATIVE = /\b(never|avoid\w*|don'?t|do not|must not|mustn'?t|should not|shouldn'?t|not use|no longer)\b/i;
const OPERATIONAL =
  /\b(ci|pipelines?|workflows?|deploy(ment|s|ing)?|releases?|rollouts?|roll out|migrations?|monitoring|alerts?|on-?call|runbooks?|production|prod|staging|environment variables?|secrets?|cron|backups?|infra(structure)?|rollback|feature flags?|canary)\b/i;
const TOOL =
  /\b(ruff|eslint|prettier|black|flake8|mypy|pylint|isort|pytest|jest|vitest|tsc|npm|npx|pnpm|yarn|pip|poetry|uv|cargo|clippy|rustfmt|gofmt|go vet|golangci-lint|gradle|maven|cmake|bazel|git|gh|kubectl|helm|shellcheck|pre-commit|linters?|formatters?|type ?checkers?|codeql|sonar\w*|dependabot|renovate|make)\b/i;
// Linters, formatters and type checkers: using, passing or fixing what they report is a tool lesson.
const CHECKER =
  new RegExp(`\\b(?:${CHECKER_NAMES}|linters?|formatters?|type ?checkers?)\\b`, 'i');
const CHECKER_USE = /\b(run|runs|use|using|pass\w*|fix\w*|apply|through|clean|clear)\b/i;
const TOOL_USE = /\b(run|enable|disable|configure|config|flag|option|command|cli|setting|settings|invoke|install|pin|version|plugin|rule|hook)\b/i;
// Only personal taste is a `preference`. A naming or style rule a reviewer states is a team convention (a
// `pattern`): the kind of recurring review point distill should surface, which it never does for preferences.
const PREFERENCE =
  /\b(i'?d prefer|i prefer|i'?d rather|my preference|personally|personal (taste|preference)|matter of taste|i like it better)\b/i;
// Structure, not a word that merely names a unit: "use the `ast` module" is a pattern, "move the parser into
// its own module" is architecture.
const ARCHITECTURE =
  /\b(dependency injection|coupling|tightly coupled|decouple\w*|abstraction layers?|separation of concerns|single responsibility|own (file|module|class|package)|(separate|dedicated|new) (module|package|layer|service)|(split|move|extract)\w* [^.]{0,40}\b(into|to) [^.]{0,20}\b(modules?|packages?|layers?|services?)|public api|api surface|boundar(y|ies)|architecture|layering|circular (import|dependenc\w+))\b/i;

/** A lesson type for an inferred rule. `pattern` unless the wording clearly says otherwise. */
export function classifyType(insight: string, domain: string): LessonType {
  if (domain === 'ci' || domain === 'docker' || domain === 'k8s' || domain === 'terraform') return 'operational';
  if (TOOL.test(insight) && TOOL_USE.test(insight)) return 'tool';
  if (CHECKER.test(insight) && CHECKER_USE.test(insight)) return 'tool';
  if (OPERATIONAL.test(insight)) return 'operational';
  if (NEGATIVE.test(insight) && FAILURE.test(insight)) return 'pitfall';
  if (ARCHITECTURE.test(insight)) return 'architecture';
  if (PREFERENCE.test(insight) && !FAILURE.test(insight)) return 'preference';
  return 'pattern';
}
