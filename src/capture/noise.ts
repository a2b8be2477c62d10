/**
 * Comments that are never lessons, whatever their wording: CI and bot boilerplate, walkthroughs and
 * summaries, automation status posts, checklists, praise and thanks. Judged on the whole comment.
 */

/** Patterns on the raw body (before cleaning) that mark a whole comment as boilerplate. */
const BOILERPLATE: ReadonlyArray<[RegExp, string]> = [
  [
    /<!--\s*(walkthrough_start|This is an auto-generated comment: (summarize|rate limited|review in progress|release notes|skip review) by coderabbit)/i,
    'CodeRabbit summary or status post',
  ],
  [/\bActionable comments posted:\s*\d+/i, 'review summary ("Actionable comments posted")'],
  // [^\S\n]: blanks within the line; `^\s*` under /m would rescan every blank line after each line start.
  [
    /^[^\S\n]*#{1,6}[^\S\n]*(walkthrough|summary( by [\w-]+)?|pull request overview|reviewer'?s guide( by [\w-]+)?|changes( walkthrough)?|sequence diagrams?|review summary|pr summary|overview)[^\S\n]*:?[^\S\n]*$/im,
    'walkthrough/summary',
  ],
  [/\bRate limit exceeded\b|\bhas exceeded the limit\b/i, 'rate-limit notice'],
  [
    /\b(reached|exceeded) your [\w ]{0,40}?(usage )?limits?\b|\busage limits?\b.{0,200}\b(credits?|upgrade|dashboard)\b/i,
    'usage-limit notice',
  ],
  [
    /\[APPROVALNOTIFIER\]|\bNeeds approval from an approver\b|\/approve\b.{0,200}\bin a comment\b/i,
    'approval notifier',
  ],
  [
    /\bCLA (Not )?Signed\b|\bnot authorized under a signed CLA\b|\bsign(ed)? (the|our) (CLA|Contributor License Agreement)\b/i,
    'CLA bot',
  ],
  [/^\s*(Welcome @|Thanks for your (first )?(PR|pull request|contribution)\b)/i, 'welcome message'],
  [/^\s*\[AI (automation|responder)\]/i, 'automation status post'],
  [/^\s*<sub>\s*\d+ files? reviewed, \d+ comments?\b/i, 'review-bot summary'],
  [/\b(review (was )?(triggered|skipped|paused|failed))\b|\bReview (in progress|completed)\b/i, 'review-bot status'],
  [
    /\bCodecov Report\b|\bCoverage (report|summary|Diff)\b|\bDeploy Preview\b|\bPreview deployment\b|\bQuality Gate (passed|failed)\b/i,
    'CI report',
  ],
  [/<!--\s*(fix-comment-automation-run|review_comment_addressed)\b/i, 'automation marker'],
  // One class, not `\s*\**\s*(✅\s*)?\**\s*`: adjacent optional runs backtrack polynomially on "****…".
  [/^[\s*\u2705]*ACKNOWLEDGED\b/i, 'acknowledgement post'],
];

/** One slash command line (`/lgtm`, `/approve`, `/retest`, `/hold`, `/assign @x`, ...). */
const SLASH_LINE = /^\/[a-z][\w-]*(?:\s.*)?$/i;

/**
 * Only slash commands, checked line by line: one nested `(…(\s+[^\n]*)?\s*\n?)+` pattern over the whole
 * body backtracks exponentially on a line of many commands followed by a line that is not one.
 */
function slashCommandsOnly(raw: string): boolean {
  const lines = raw.trim().split('\n');
  return lines.every((line) => {
    const t = line.trim();
    return t === '' || SLASH_LINE.test(t);
  });
}

export function boilerplateReason(raw: string): string | null {
  for (const [re, reason] of BOILERPLATE) if (re.test(raw)) return reason;
  if (raw.trim() && slashCommandsOnly(raw)) return 'slash commands only';
  return null;
}

const PRAISE_SENTENCE =
  /^(?:(?:(?:this|that|it) (?:is|looks|seems) )?(?:really |very |so )?(?:lgtm|looks good(?: to me)?|looks great|nice(?: one| work| job| catch| change| find| improvement| cleanup)?|neat|cool|great(?: job| work| catch| change| find| idea)?|good (?:catch|job|work|point|call|idea|find|change)|well done|awesome|perfect|excellent|amazing|wonderful|beautiful|brilliant|love (?:it|this)|makes sense|sounds good|agreed?|indeed|ship it|approved?|til\b.{0,80}|wow|yay|thanks?(?: you)?(?: (?:so|very) much)?(?: for [^.!?]{0,80})?|thx|ty|cheers|\+1|👍|ok(?:ay)?|sure)[\s!.,:)(]*)+$/i;

const MAX_PRAISE_CHARS = 160;

/** True when every sentence is praise, thanks or agreement: "Nice✅", "LGTM, thanks!", "Good catch". */
export function isPraise(sentences: readonly string[]): boolean {
  // Praise is short; the cap also bounds the nested pattern's backtracking on a long sentence.
  return sentences.length > 0 && sentences.every((s) => s.length <= MAX_PRAISE_CHARS && PRAISE_SENTENCE.test(s.trim()));
}

/** Whole-comment task lists (review checklists): mostly `- [ ]` items. */
export function isChecklist(checklistItems: number, remainingSentences: number): boolean {
  return checklistItems >= 2 && checklistItems >= remainingSentences;
}
