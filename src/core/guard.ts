/**
 * The prompt-injection guard. Lessons end up in skills that coding agents read, and anyone can write a
 * review comment, so text that tries to address an agent is refused (SPEC §2).
 */
const INJECTION_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // "ignore (all) previous instructions" and kin; ordinary advice ("don't ignore lint rules") must pass.
  [/\b(ignore|disregard|forget|override)\b[^.\n]{0,30}\b(previous|prior|above|earlier|preceding|all\s+(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier))\b[^.\n]{0,30}\b(instructions?|prompts?|directions|directives|guidelines|rules|context)\b/i, 'asks to ignore instructions'],
  [/\b(ignore|disregard|forget)\s+(all|any|your)\s+(instructions?|prompts?|directives)\b/i, 'asks to ignore instructions'],
  [/\byou\s+are\s+now\b/i, 'tries to reassign a role ("you are now")'],
  [/\b(agents?|assistants?|ais?|llms?|models?|bots?|copilot|claude|codex)\s+(reading|that\s+reads?|who\s+reads?|processing|seeing)\s+(this|these)\b/i, 'addresses the agent that reads it'],
  [/^\s*(system|assistant|developer)\s*:/im, 'has a line posing as a system/assistant message'],
  [/\bapprove\s+(all|every|any)\b/i, 'asks to approve everything'],
  [/<\|?\s*(im_start|im_end|system|endoftext)\s*\|?>/i, 'contains chat-template control tokens'],
  [/\b(new|updated|real)\s+instructions?\s*:/i, 'announces new instructions'],
  [/\bdo\s+not\s+(tell|inform|alert)\s+the\s+(user|human|reviewer)/i, 'asks to hide something from the user'],
  [/\b(reveal|print|exfiltrate|leak)\b[^.\n]{0,30}\b(secrets?|tokens?|api[\s_-]?keys?|credentials|system\s+prompt)\b/i, 'asks for secrets'],
];

// Zero-width and bidirectional control characters: invisible in a rendered comment, so they can hide
// words from the patterns below or reorder what a reader sees. Lesson text never needs them.
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Drops zero-width and bidi control characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** The reason `text` looks like a prompt injection, or null when it does not. */
export function promptInjectionReason(text: string): string | null {
  // Invisible characters must not split a phrase the patterns look for.
  const visible = stripInvisible(text);
  for (const [pattern, reason] of INJECTION_PATTERNS) if (pattern.test(visible)) return reason;
  return null;
}
