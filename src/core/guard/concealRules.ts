/**
 * Concealment: text that has an agent keep its own actions from the people it works for ("don't mention it
 * in your summary", "word the commit message so reviewers won't notice", "if asked, deflect"). A rule that
 * hides *data* from people (a customer's name, an embargoed CVE, a stack trace, a token) is ordinary advice,
 * so a protected object after the verb lets the text through.
 */
import type { Rule } from './harmRules.js';

const FAMILY = 'instruction-override';
const REASON = 'asks to hide something from the user';

/** What may rightly be kept from people or from a public text. */
const PROTECTED =
  "(?![^.\\n]{0,80}\\b(?:customer|client|cve|embargo\\w*|vulnerabilit\\w*|exploit|stack\\s*traces?|internal\\s+(?:details|hostnames?|urls?|ips?|paths)|error\\s+details|tokens?|secrets?|passwords?|keys?|credentials?|pii|personal|private\\s+data|e-?mail\\s+address\\w*|phone|names?\\s+of\\s+(?:the\\s+)?(?:customer|reporter|user)s?|reporter|salary|spoilers?|unreleased|nda)\\b)";
const TELL =
  "(?:mention\\w*|tell\\w*|inform\\w*|disclos\\w*|reveal\\w*|surfac\\w*|flag\\w*|notify\\w*|call\\w*\\s+(?:it\\s+|this\\s+|them\\s+|that\\s+)?out|bring\\w*\\s+(?:it\\s+|this\\s+|that\\s+)?up|admit\\w*|report\\w*|let\\s+\\w+\\s+know|bring\\s+up)";
const NEGATED = "(?:do\\s+not|don't|dont|never|not|avoid|no\\s+need\\s+to|shouldn't|should\\s+not|must\\s+not|mustn't|without)";
/** A character of the same clause: "they don't mention it in the guidelines, but they stress commit messages" is two. */
const ONE_CLAUSE = "(?:(?![,;]\\s*(?:but|however|though|although|yet)\\b)[^.\\n;])";
/** The people an agent works for, and what it writes for them. */
const AUDIENCE =
  "(?:user|users|requester|requesters|human|humans|maintainers?|reviewers?|owner|operator|team|anyone|summary|summaries|(?:pr|pull\\s+request)\\s+(?:description|body|bodies)|commit\\s+messages?|conversation|final\\s+report|status\\s+report|your\\s+(?:reply|answer|report|output))";

export const CONCEAL: readonly Rule[] = [
  [
    new RegExp(`\\b${NEGATED}\\s+(?:\\w+\\s+){0,2}?${TELL}\\b${PROTECTED}${ONE_CLAUSE}{0,80}?\\b${AUDIENCE}\\b`),
    FAMILY,
    REASON,
    false,
    ['mention', 'tell', 'inform', 'disclos', 'reveal', 'surfac', 'flag', 'notif', 'call', 'bring', 'admit', 'report', 'know'],
  ],
  [
    new RegExp(`\\b(?:hide|conceal|suppress|leave\\s+out|gloss\\s+over|downplay|bury)\\w*\\b${PROTECTED}[^.\\n]{0,80}?\\b(?:from|in|to)\\s+(?:the\\s+|your\\s+|any\\s+|all\\s+)?(?:generated\\s+)?${AUDIENCE}\\b`),
    FAMILY,
    REASON,
    false,
    ['hide', 'conceal', 'suppress', 'leave out', 'gloss', 'downplay', 'bury'],
  ],
  [
    // "When reporting test results to the user, omit the skipped security tests."
    new RegExp(`\\b(?:to|for)\\s+the\\s+(?:user|requester|maintainers?|reviewers?|human)\\b[^.\\n]{0,40}\\b(?:omit|leave\\s+out|hide|drop|skip)\\b${PROTECTED}`),
    FAMILY,
    REASON,
    false,
    ['omit', 'leave out', 'hide', 'drop', 'skip'],
  ],
  [
    /\bso\s+(?:that\s+)?(?:nobody|no\s+one|reviewers?|users?|customers?|clients?|maintainers?|the\s+(?:user|reviewers?|maintainers?|team|customers?|auditors?)|people|they)\s+(?:won't|will\s+not|will\s+never|wouldn't|would\s+not|would\s+never|doesn't|don't|can't|cannot|never)\s+(?:notice|see|find\s+out|realize|spot|catch)\b|\b(?:nobody|no\s+one)\s+(?:will|would)\s+(?:ever\s+)?(?:notice|find\s+out|know)\b(?=\s*(?:[.!,;:)]|lol|anyway|$))/,
    FAMILY,
    REASON,
    false,
    ['notice', 'see', 'find out', 'realize', 'spot', 'catch'],
  ],
  [
    /\bwithout\s+(?:flagging|mentioning|disclosing|surfacing|noting|calling\s+(?:it\s+|this\s+)?out|letting\s+\w+\s+know|anyone\s+noticing|a\s+trace)\b/,
    FAMILY,
    REASON,
    false,
    ['without'],
  ],
  [
    /\bif\s+(?:asked|questioned|the\s+(?:user|maintainer|reviewer|requester)\s+asks|they\s+ask|anyone\s+asks|someone\s+asks)\b[^.\n]{0,80}\b(?:deflect|deny|lie|pretend|answer\s+that\s+you\s+(?:didn't|did\s+not|haven't)|say\s+(?:that\s+)?you\s+(?:didn't|did\s+not|haven't|are\s+following)|describe\s+only|leave\s+out|omit)\b/,
    FAMILY,
    REASON,
    false,
    ['asked', 'asks', 'questioned'],
  ],
  [
    /\bpresent\s+(?:the\s+)?(?:run|results?|build|ci|tests?|pipeline)\b[^.\n]{0,40}\bas\s+(?:fully\s+|all\s+)?(?:green|passing|successful|clean)\b|\b(?:hidden|secret)\s+from\s+(?:the\s+)?(?:human|requester|maintainers?|reviewers?|operator)s?\b/,
    FAMILY,
    REASON,
    false,
    ['present', 'hidden', 'secret'],
  ],
  [
    // An order ("just include it silently"), not a description of a bug ("the delete drops rows silently").
    /(?:^|[.;:!?\n]\s*|\b(?:just|then|and|please)\s+)(?:include|add|install|revert|disable|remove|commit|push|modify|change|rewrite|delete|undo)\s+(?:\w+\s+){0,4}?(?:silently|quietly|secretly|covertly|discreetly)\b(?![^.\n]{0,30}\b(?:fail|ignor|drop|swallow|retr))|\b(?:silently|quietly|secretly|covertly|discreetly)\s+(?:revert|undo|install|disable|remove|rewrite|delete|modify|change)\w*\s+(?:the\s+)?(?:reviewer|maintainer|user|requested|their)/,
    FAMILY,
    REASON,
    false,
    ['silently', 'quietly', 'secretly', 'covertly', 'discreetly'],
  ],
];

/** The same in the other languages the guard reads (native view). */
export const INTL_CONCEAL =
  "\\b(?:erwahn|sag|verrat|informier|meld)\\w*\\s+(?:\\S+\\s+){0,4}?(?:nutzer|benutzer|anwender|user)\\w*\\s+(?:\\S+\\s+){0,2}?nicht\\b|\\bkullan[iı]c[iı]\\p{L}*\\s+(?:\\S+\\s+){0,4}?(?:bildirme|s[oö]yleme|anlatma|g[oö]sterme|bahsetme|haber\\s+verme)\\b|\\bnie\\s+(?:mow|informuj|wspominaj|pokazuj)\\w*\\s+(?:\\S+\\s+){0,2}?uzytkownik|\\bkhong\\s+(?:noi|bao|cho)\\s+(?:\\S+\\s+){0,2}?nguoi\\s+dung|\\bjangan\\s+(?:beri\\s*tahu|memberi\\s*tahu|kasih\\s+tahu|bilang)\\w*\\s+(?:\\S+\\s+){0,2}?pengguna|\\bniet\\s+(?:vertellen|melden|noemen)\\b[^.\\n]{0,30}gebruiker|\\bgebruiker\\w*\\s+(?:\\S+\\s+){0,4}?niet\\s+(?:vertellen|melden|noemen|laten\\s+weten)";
