/**
 * Rules put in words from the forms reviewers use when they do not write an imperative: a suggestion
 * ("why not X?", "it would be better to X"), a comparative ("X is cleaner than Y"), a statement of the
 * project's practice ("we usually X", "X is deprecated in favour of Y"), first-person advice ("I wouldn't X").
 * Each reader knows one form and returns the rule as an imperative sentence, or null; the first that reads
 * the sentence wins, in the order of {@link READERS}.
 */
import { baseOfGerund } from './gerund.js';

export type RuleForm = 'directive' | 'suggestion' | 'comparative' | 'convention' | 'question' | 'finding';

export interface DerivedRule {
  form: RuleForm;
  rule: string;
}

/** "Why not X?", "How about X?", "What about using X?": a suggestion put as a question. */
const SUGGESTING_QUESTION =
  /^(?:(?:also|so|and|but|then|nit:?)\s*,?\s+){0,2}(?:why\s+not|how\s+about|what\s+about)\s+(?=\S)/i;

/** "X would be cleaner than Y", "X is safer than Y": a comparative that names the better way. */
const COMPARATIVE =
  /^(.{2,80}?)\s+(?:would\s+be|would\s+read|is|are|reads|seems|looks)\s+(?:much\s+|a\s+lot\s+|far\s+|generally\s+|usually\s+)?(?:[\w-]+\s*,\s*){0,3}(?:[\w-]+(?:\s+[\w-]+)?\s+and\s+)?(?:better|cleaner|safer|simpler|clearer|faster|nicer|easier\s+to\s+\w+|more\s+(?:readable|robust|idiomatic|pythonic|efficient|maintainable|explicit|consistent|informative|descriptive|precise|reliable|portable))\s+than\s+(.{2,80}?)(?:\s+(?:here|in\s+this\s+case|for\s+this))?\s*[.!]?$/i;

/** "We use X for this everywhere", "We don't usually add X": a statement of the project's practice. */
const CONVENTION =
  /^(?:(?:also|so|and|but|generally|here|in\s+this\s+(?:repo|repository|codebase|project)|in\s+general)\s*,?\s+){0,2}(?:we|the\s+project|this\s+(?:repo|repository|codebase|project)|our\s+(?:codebase|code|team|style))\s+((?:(?:usually|generally|typically|always|never|normally|don'?t|do\s+not|do(?=\s+(?:prefer|use|follow|avoid|keep))|tend\s+to|try\s+to|prefer\s+to)\s+){0,3})(use|prefer|avoid|follow|keep|write|put|name|add|have|stick|rely|register|document|raise|return|test|run|pin|import|call|wrap|log|mark|define|declare|create)\b(.*)$/i;

/** "It would be useful to X", "I think it'd be good to X": a suggestion whose rule is X. */
const WOULD_BE_GOOD =
  /^(?:(?:i think|imo|imho|also|so|but|nit:?)\s*,?\s+){0,2}(?:it\s+would\s+be|it'?d\s+be|would\s+be|it\s+might\s+be|it\s+may\s+be)\s+(?:a\s+)?(?:good|nice|useful|better|great|cleaner|safer|helpful|wise|preferable|best)(?:\s+idea)?(?:\s+for\s+[\w\s]{1,30}?)?\s+to\s+(?=[a-z])/i;

/**
 * "…, it would be better to X", "we'd better X", "you might want to X": a suggestion framed inside the sentence;
 * the rule is X. Only where the frame opens a clause, so "what it would be nice to know" does not count.
 */
const SUGGESTION_FRAME =
  /(?:^|[,;:]\s*|\b(?:and|but|so|then|imo|imho|i think|i believe)\s+)(?:(?:it\s+would|it'?d|would)\s+be\s+(?:much\s+|even\s+|a\s+lot\s+)?(?:better|best|nicer|cleaner|safer|preferable|good|nice|wise)\s+to|(?:we|you)'?d\s+better|(?:we|you)\s+(?:might|may)\s+(?:want|wish)\s+to|(?:we|you)'?d\s+(?:want|like)\s+to)\s+(start\s+|begin\s+)?(?=[a-z])/i;

/** "I think running `go fmt` in CI is a good idea", "Having one commit per change is good practice": the rule is the gerund's phrase. */
const GERUND_PRACTICE =
  /^(?:(?:i think|imo|imho|i believe|i feel)\s*,?\s+(?:that\s+)?)?([a-z]+)ing\s+(.{3,160}?)\s+(?:is|would\s+be|seems|sounds\s+like)\s+(?:often\s+|generally\s+|usually\s+|widely\s+|always\s+)?(?:regarded\s+as\s+|considered\s+(?:as\s+)?)?(?:a\s+|the\s+)?(?:good|great|better|best|sensible|right|recommended|preferred|safer|cleaner)\s+(?:idea|practice|approach|way(?:\s+to\s+go)?|choice|option|thing\s+to\s+do)\b[^]*$/i;

/** "Catching bare exceptions is a bad idea", "Using `assert` for validation is dangerous since …": what to avoid. */
const GERUND_HARM =
  /^([a-z]+)ing\s+(.{3,160}?)\s+(?:is|are|can\s+be|would\s+be|seems)\s+(?:generally\s+|usually\s+|often\s+|really\s+|quite\s+|very\s+)?(?:a\s+|an\s+)?(?:bad|poor|dangerous|risky|error-prone|fragile|brittle|discouraged|frowned\s+upon|anti-?pattern|code\s+smell|unsafe|insecure)\b(?:\s+(?:idea|practice|pattern))?([^]*)$/i;

/** "It's generally a bad idea to catch bare exceptions": what not to do. */
const BAD_IDEA_TO =
  /^(?:(?:imo|imho|fwiw|in\s+general|generally)\s*,?\s+)?(?:it'?s|it\s+is|that'?s|that\s+is)\s+(?:generally\s+|usually\s+|often\s+|almost\s+always\s+)?(?:a\s+)?(?:bad|poor|dangerous|risky|not\s+a\s+good)\s+(?:idea|practice)\s+to\s+(?=[a-z])/i;

/** "`print` statements don't belong in library code": keep X out of Y. */
const DOES_NOT_BELONG =
  /^(.{2,80}?)\s+(?:don'?t|do\s+not|doesn'?t|does\s+not|shouldn'?t|should\s+not)\s+belong\s+(?:in|inside|into)\s+([^;.]{2,80}?)\s*(?:[;.!].*)?$/i;

/** "`os.path` is deprecated in favour of `pathlib`": use the newer one. */
const DEPRECATED_FOR =
  /^(.{2,80}?)\s+(?:is|are|has\s+been|have\s+been|was)\s+deprecated\s*(?:,\s*)?(?:in\s+favou?r\s+of|for|use)\s+([^,;.]{2,80}?)\s*(?:[,;.!].*)?$/i;

/** "Returning `Result()` from the method will be more appropriate": the gerund's phrase, as the better way. */
const GERUND_BETTER =
  /^([a-z]+)ing\s+(.{3,160}?)\s+(?:will|would|should)\s+be\s+(?:much\s+|a\s+lot\s+|far\s+)?(?:more\s+(?:appropriate|idiomatic|readable|robust|consistent)|better|cleaner|safer|simpler|clearer|preferable)(?:\s+(?:here|in\s+this\s+case))?\s*[.!]?$/i;

/** "The general Python convention is to exit the context manager early", "the best practice would be to X". */
const NAMED_PRACTICE =
  /\b(?:the\s+)?(?:general\s+|usual\s+|common\s+|standard\s+)?(?:[\w-]+\s+)?(?:convention|best\s+practice|rule\s+of\s+thumb|recommended\s+way|preferred\s+way|idiomatic\s+way|standard\s+practice|good\s+practice)\s+(?:here\s+|in\s+\w+\s+)?(?:is|would\s+be)\s+to\s+(?=[a-z])/i;

/** "I wouldn't use `context` as a variable name", "I'd avoid bare excepts": the reviewer's advice, in the first person. */
const WOULD_NOT =
  /^(?:(?:and|also|but|so|clearly|personally|honestly)\s*,?\s+){0,2}i\s*(?:(?:\s+would|'d)\s+(?:not|never)|\s+wouldn'?t|(?:\s+would|'d)\s+(avoid))\s+(?:(?:just|really|ever)\s+)?(?=[a-z])/i;

/** "I don't like complicating code for what-if cases": what to avoid. */
const DONT_LIKE = /\bi\s+(?:really\s+)?(?:don'?t|do\s+not)\s+(?:like|love|want)\s+([a-z]+ing)\s+(.{3,160}?)\s*[.!]?$/i;

/** "Should the tests not be mocked so they don't rely on the network?": the rule is the positive. */
const SHOULD_NOT_BE =
  /^should\s+(?!(?:this|that|it|these|those)\b)((?:the\s+)?[\w`.-]+(?:\s+[\w`.-]+){0,4}?)\s+not\s+be\s+([^?]{3,160}?)\s*\?*\s*$/i;

/** "I think migrating to f-strings makes more sense than going back to %s". */
const MORE_SENSE =
  /^(?:(?:i think|imo|imho|i believe|i feel)\s*,?\s+(?:that\s+)?)?([a-z]+)ing\s+(.{3,120}?)\s+(?:makes?|would\s+make)\s+(?:much\s+|a\s+lot\s+)?more\s+sense\s+than\s+(.{2,100}?)\s*[.!]?$/i;

/**
 * "…, as we try to keep third-party imports apart", "since we always pin versions": a habit of the project stated
 * inside a sentence. A habit word must come first, so "we fix this later" is no convention.
 */
const HABIT =
  /(?:^|[,;:]\s*|\b(?:as|since|because|so|and|but|here|generally)\s+)(?:we|the\s+project|this\s+(?:repo|repository|project|codebase))\s+(?:(usually|generally|typically|always|normally|tend\s+to|try\s+to|prefer\s+to|like\s+to|aim\s+to|strive\s+to|never)\s+)(?:(?:always|usually|also)\s+)?(don'?t\s+|do\s+not\s+|not\s+)?([a-z]+(?:-[a-z]+)*)\b([^]*)$/i;

/** "We decided to go with the NumPy docstring style", "I decided to stick with pytest": a choice the project made. */
const DECIDED =
  /^(?:(?:so|also|but|and|btw)\s*,?\s+)?(?:we|i)(?:'ve|\s+have)?\s+(?:decided|agreed|chose|settled)\s+(?:to\s+(?:go\s+with|use|adopt|stick\s+with|standardi[sz]e\s+on)|on)\s+([^,;]{3,120}?)\s*(?:[,;.].*)?$/i;

/** "Right now we still support Python 3.7, so we can't use walrus operators yet": a constraint. */
const CANNOT_USE =
  /\b(?:we|you)\s+(?:can'?t|cannot|can\s+not|shouldn'?t|should\s+not)\s+(?:use|incorporate|accept|rely\s+on|depend\s+on|introduce)\s+([^,;.]{3,80}?)(?:\s+(?:just\s+)?(?:yet|here|for\s+now|at\s+the\s+moment))?\s*(?:[,;.!].*)?$/i;

/** "Django does not use type annotations": a project's stated practice, by name. */
const DOES_NOT_USE =
  /^((?:the\s+)?[A-Z][\w.-]{1,30}|this\s+(?:repo|repository|project|codebase))\s+(?:does\s+not|doesn'?t|never)\s+(use|need|allow|accept|support)\s+([^,;]{3,80}?)(?:\s*[,;].*)?[.!]?$/;

/** "validate" → "validating", "use" → "using": the verb of "Why not X?" inside "Consider X". */
function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (v.endsWith('ing') || !/^[a-z]+$/.test(v)) return verb;
  return /[^e]e$/.test(v) ? `${verb.slice(0, -1)}ing` : `${verb}ing`;
}

function insteadOfWhyNotRule(s: string): DerivedRule | null {
  // "Instead of returning X, why not raise an error?" → "Consider raising an error instead of returning X".
  const insteadWhy =
    /^instead\s+of\s+([^,?]{2,80}),\s*(?:why\s+not|how\s+about|what\s+about)\s+([^?]{3,160})\?*\s*$/i.exec(s);
  if (insteadWhy)
    return {
      form: 'suggestion',
      rule: `Consider ${insteadWhy[2]!.trim().replace(/^([a-z]+)\b/i, (v) => gerund(v))} instead of ${insteadWhy[1]!.trim()}`,
    };
  return null;
}

/**
 * The words after a form's frame as the rule: end punctuation off, capitalized or after `lead` ("Don't …");
 * null when fewer than `minWords` words are left to say what the rule is.
 */
function restAsRule(rest: string, form: RuleForm, minWords: number, lead?: string): DerivedRule | null {
  const words = rest.replace(/[.!]+$/, '');
  if (words.split(/\s+/).length < minWords) return null;
  return { form, rule: lead ? `${lead} ${words}` : words[0]!.toUpperCase() + words.slice(1) };
}

function statedRule(s: string): DerivedRule | null {
  // "One minor suggestion I have is to add X" → "Add X".
  const stated =
    /^(?:one|my|a|another)\s+(?:minor\s+|small\s+|last\s+)?(?:suggestion|nit|request|recommendation)(?:\s+(?:i\s+have|here))?\s+(?:is|would\s+be)\s+to\s+(?=[a-z])/i.exec(
      s,
    );
  return stated ? restAsRule(s.slice(stated[0].length), 'suggestion', 2) : null;
}

function wouldBeGoodRule(s: string): DerivedRule | null {
  const good = WOULD_BE_GOOD.exec(s);
  return good ? restAsRule(s.slice(good[0].length), 'suggestion', 2) : null;
}

function frameRule(s: string): DerivedRule | null {
  const frame = SUGGESTION_FRAME.exec(s);
  if (frame) {
    let rest = s.slice(frame.index + frame[0].length).replace(/[.!]+$/, '');
    // "it'd be nice to start adding X" asks to "add X".
    if (frame[1]) rest = rest.replace(/^([a-z]+)ing\b/i, (_, stem: string) => baseOfGerund(stem));
    // "If we range `tests`, we'd better name it `test`": the condition is part of the rule.
    const condition = /^(?:if|when|whenever|unless)\b[^,;:]{3,120}$/i.exec(
      s
        .slice(0, frame.index)
        .replace(/[,;:]\s*$/, '')
        .trim(),
    );
    if (condition) rest = `${condition[0]}, ${rest}`;
    return restAsRule(rest, 'suggestion', 2);
  }
  return null;
}

function gerundBetterRule(s: string): DerivedRule | null {
  const better = GERUND_BETTER.exec(s);
  if (better && !/^(?:noth|someth|anyth|everyth|th)$/i.test(better[1]!)) {
    const verb = baseOfGerund(better[1]!);
    return { form: 'comparative', rule: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${better[2]!.trim()}` };
  }
  return null;
}

function namedPracticeRule(s: string): DerivedRule | null {
  const named = NAMED_PRACTICE.exec(s);
  return named ? restAsRule(s.slice(named.index + named[0].length), 'convention', 3) : null;
}

function wouldNotRule(s: string): DerivedRule | null {
  const wouldNot = WOULD_NOT.exec(s);
  return wouldNot ? restAsRule(s.slice(wouldNot[0].length), 'suggestion', 3, wouldNot[1] ? 'Avoid' : "Don't") : null;
}

function dontLikeRule(s: string): DerivedRule | null {
  const dontLike = DONT_LIKE.exec(s);
  if (dontLike) return { form: 'convention', rule: `Avoid ${dontLike[1]!.toLowerCase()} ${dontLike[2]!.trim()}` };
  return null;
}

function shouldNotBeRule(s: string): DerivedRule | null {
  const shouldNot = SHOULD_NOT_BE.exec(s);
  if (shouldNot) {
    const subject = shouldNot[1]!.trim();
    return {
      form: 'question',
      rule: `${subject[0]!.toUpperCase()}${subject.slice(1)} should be ${shouldNot[2]!.trim()}`,
    };
  }
  return null;
}

function gerundHarmRule(s: string): DerivedRule | null {
  const harm = GERUND_HARM.exec(s);
  if (harm && !/^(?:noth|someth|anyth|everyth|th)$/i.test(harm[1]!)) {
    const why = /^\s*(?:,\s*)?(?:since|because|as)\s+(.{3,120}?)\s*[.!]?$/i.exec(harm[3]!);
    return {
      form: 'suggestion',
      rule: `Avoid ${harm[1]!.toLowerCase()}ing ${harm[2]!.trim()}${why ? ` (${why[1]!.trim()})` : ''}`,
    };
  }
  return null;
}

function badIdeaRule(s: string): DerivedRule | null {
  const badIdea = BAD_IDEA_TO.exec(s);
  return badIdea ? restAsRule(s.slice(badIdea[0].length), 'suggestion', 2, "Don't") : null;
}

function belongRule(s: string): DerivedRule | null {
  const belong = DOES_NOT_BELONG.exec(s);
  if (belong && !/^(?:this|that|it|these|those)\b/i.test(belong[1]!))
    return { form: 'convention', rule: `Keep ${belong[1]!.trim()} out of ${belong[2]!.trim()}` };
  return null;
}

function deprecatedRule(s: string): DerivedRule | null {
  const deprecated = DEPRECATED_FOR.exec(s);
  if (deprecated && !/^(?:this|that|it)$/i.test(deprecated[1]!.trim()))
    return { form: 'convention', rule: `Use ${deprecated[2]!.trim()} instead of ${deprecated[1]!.trim()}` };
  return null;
}

function gerundPracticeRule(s: string): DerivedRule | null {
  const practice = GERUND_PRACTICE.exec(s) ?? MORE_SENSE.exec(s);
  if (practice && !/^(?:noth|someth|anyth|everyth|th)$/i.test(practice[1]!)) {
    const verb = baseOfGerund(practice[1]!);
    const rather = practice[3] ? ` rather than ${practice[3].trim()}` : '';
    return { form: 'suggestion', rule: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${practice[2]!.trim()}${rather}` };
  }
  return null;
}

function doesNotUseRule(s: string): DerivedRule | null {
  const notUse = DOES_NOT_USE.exec(s);
  if (notUse)
    return {
      form: 'convention',
      rule: `Don't ${notUse[2]!.toLowerCase() === 'use' ? 'use' : `rely on ${notUse[2]!.toLowerCase() === 'need' ? 'needing' : 'adding'}`} ${notUse[3]!.trim()}`,
    };
  return null;
}

function whyNotRule(s: string): DerivedRule | null {
  const sugg = SUGGESTING_QUESTION.exec(s);
  if (sugg) {
    const rest = s
      .slice(sugg[0].length)
      .replace(/\?+\s*$/, '')
      .trim();
    if (rest.split(/\s+/).length >= 2)
      return { form: 'suggestion', rule: `Consider ${rest.replace(/^([a-z]+)\b/i, (v) => gerund(v))}` };
  }
  return null;
}

function comparativeRule(s: string): DerivedRule | null {
  const comp = COMPARATIVE.exec(s.replace(/^(?:fwiw|imo|imho|btw|in\s+general|generally|honestly)\s*[:,]?\s+/i, ''));
  if (comp && !/^(?:it|its|it's|this|that|which)$/i.test(comp[1]!.trim()))
    return { form: 'comparative', rule: `Prefer ${comp[1]!.trim()} over ${comp[2]!.trim()}` };
  return null;
}

function habitRule(s: string): DerivedRule | null {
  const habit = HABIT.exec(s);
  if (habit && !/^(?:be|get|have|do|see|know|think|make|go)$/i.test(habit[3]!)) {
    const negative = habit[1]!.toLowerCase() === 'never' || habit[2] !== undefined;
    const verb = habit[3]!.toLowerCase();
    let rest = habit[4]!.replace(/[.!]+$/, '').trim();
    // "Since we never vendor dependencies, drop the copy": the habit's clause ends at the main clause.
    if (/^(?:as|since|because)\s/i.test(s.slice(habit.index))) rest = rest.split(/[,;]\s/)[0]!;
    if (rest.split(/\s+/).length >= 2)
      return {
        form: 'convention',
        rule: `${negative ? "Don't " + verb : verb[0]!.toUpperCase() + verb.slice(1)} ${rest}`,
      };
  }
  return null;
}

function decidedRule(s: string): DerivedRule | null {
  const decided = DECIDED.exec(s);
  if (decided) return { form: 'convention', rule: `Use ${decided[1]!.trim()}` };
  return null;
}

function cannotUseRule(s: string): DerivedRule | null {
  const cannot = CANNOT_USE.exec(s);
  if (
    cannot &&
    !/^(?:this|that|it|these|those)\b/i.test(cannot[1]!) &&
    /\b(?:support\w*|compatib\w*|versions?|python|node|go|java|licen[cs]e|policy|guidelines?)\b/i.test(s)
  ) {
    const why = s
      .slice(0, cannot.index)
      .replace(/(?:[,;:]?\s*(?:so|and|but|because|i'?m\s+afraid|unfortunately|sadly))*\s*$/i, '')
      .trim();
    return {
      form: 'convention',
      rule: `Don't use ${cannot[1]!.trim()}${why.length >= 10 && why.length <= 120 ? ` (${why[0]!.toLowerCase()}${why.slice(1)})` : ''}`,
    };
  }
  return null;
}

function conventionRule(s: string): DerivedRule | null {
  const conv = CONVENTION.exec(s);
  if (conv) {
    const adverbs = conv[1]!.toLowerCase();
    const negative = /\b(never|don'?t|do\s+not)\b/.test(adverbs);
    const verb = conv[2]!.toLowerCase();
    const rest = conv[3]!
      .replace(
        /\s+(?:everywhere|in\s+(?:the|this)\s+(?:repo|repository|codebase|project)|across\s+the\s+(?:repo|codebase))\b/gi,
        '',
      )
      .trim();
    if (rest.split(/\s+/).length >= 1)
      return {
        form: 'convention',
        rule: `${negative ? "Don't " : ''}${negative ? verb : verb[0]!.toUpperCase() + verb.slice(1)} ${rest}`,
      };
  }
  return null;
}

/**
 * "Wouldn't it be better to X?", "Shouldn't we X?", "Can't we just X?", "Isn't it cleaner to X?": a question that
 * expects yes, so its rule is X.
 */
const EXPECTS_YES =
  /^(?:(?:but|also|so|hmm|then)\s*,?\s+)?(?:(?:wouldn'?t|would\s+it\s+not|isn'?t)\s+it\s+(?:be\s+)?(?:much\s+|a\s+lot\s+)?(?:better|cleaner|safer|simpler|easier|nicer|preferable|more\s+\w+)\s+to|shouldn'?t\s+(?:we|you)(?:\s+(?:also|just))?|can'?t\s+(?:we|you)\s+(?:just|simply)|couldn'?t\s+(?:we|you)\s+(?:just|simply))\s+(?=[a-z])/i;

function expectsYesRule(s: string): DerivedRule | null {
  const m = EXPECTS_YES.exec(s);
  if (!m || !/\?[\s)"'`]*$/.test(s)) return null;
  const rest = s.slice(m[0].length).replace(/\s*\?+[\s)"'`]*$/, '').replace(/\s+(?:here|instead)$/i, '');
  if (rest.split(/\s+/).length < 2 || /^(?:be|do|have|get)\b/i.test(rest)) return null;
  return { form: 'question', rule: rest[0]!.toUpperCase() + rest.slice(1) };
}

const READERS: ReadonlyArray<(s: string) => DerivedRule | null> = [
  insteadOfWhyNotRule,
  statedRule,
  wouldBeGoodRule,
  frameRule,
  gerundBetterRule,
  namedPracticeRule,
  wouldNotRule,
  dontLikeRule,
  shouldNotBeRule,
  gerundHarmRule,
  badIdeaRule,
  belongRule,
  deprecatedRule,
  gerundPracticeRule,
  doesNotUseRule,
  whyNotRule,
  comparativeRule,
  habitRule,
  decidedRule,
  cannotUseRule,
  conventionRule,
  expectsYesRule,
];

/** The rule a question or a statement implies, as an imperative sentence; null when none is read. */
export function derivedRule(sentence: string): DerivedRule | null {
  const s = sentence.trim();
  for (const read of READERS) {
    const rule = read(s);
    if (rule) return rule;
  }
  return null;
}
