/**
 * The guard for text that may reach coding agents (SPEC §2, issue 8 item 2). Lessons end up in files that
 * agents read, and anyone can write a review comment, so text is refused when it tries to steer an agent
 * (instruction override, role and chat-template prompts, text addressed to AI agents), to run something
 * (remote execution, encoded payloads), to leak secrets, or teaches a practice that turns safety off.
 *
 * Text is normalised first (normalize.ts: NFKC, invisible and bidi characters removed, accents folded,
 * look-alike letters mapped to Latin, light de-leet), then matched by word classes (words.ts) and bounded
 * shapes (patterns.ts, encoded.ts). Pure and linear; a short lesson costs about a microsecond or two.
 *
 * Used at capture (every candidate lesson), on every stored lesson read back (store, distill, rendering),
 * and by `toLesson`. A refused text is held for review with `family` and `reason`, never shown to agents.
 */
import { cipherText } from './cipher.js';
import { encodedBlob } from './encoded.js';
import { guardViews, hiddenTagText, stripInvisible, withoutFillers } from './normalize.js';
import { latinFamilies, liveCredential, nativeFamilies } from './patterns.js';
import { wordFamilies, type Hit } from './words.js';

export { stripInvisible } from './normalize.js';

export const GUARD_FAMILIES = [
  'instruction-override',
  'role-prompt',
  'agent-address',
  'remote-execution',
  'encoded-payload',
  'secret-exfiltration',
  'unsafe-practice',
] as const;
export type GuardFamily = (typeof GUARD_FAMILIES)[number];

export type GuardVerdict = { ok: true } | { ok: false; family: GuardFamily; reason: string };

/** The guard reads at most this much of a text (capture already cuts comments at 16 KiB). */
const MAX_GUARDED_CHARS = 64 * 1024;
const OK: GuardVerdict = Object.freeze({ ok: true });

// "i g n o r e  a l l  p r e v i o u s": letters spaced out (one separator each) read as words again.
const SPACED_LETTERS = /\b(?:[a-z][ .\-_*·|]{1,2}){3,}[a-z]\b/g;
const SQUASHED_OVERRIDE =
  /(?:ignore|disregard|forget|override|bypass)(?:all|any|the|your|every|of)*(?:previous|prior|above|earlier|preceding|system)?(?:instructions?|rules|guidelines|prompts?|directives|constraints)|youarenow|developermode|jailbreak/;

function spacedOut(latin: string): Hit | null {
  SPACED_LETTERS.lastIndex = 0;
  if (!SPACED_LETTERS.test(latin)) return null;
  const joined = latin.replace(SPACED_LETTERS, (m) => m.replace(/[ .\-_*·|]/g, ''));
  const hit = wordFamilies(joined) ?? latinFamilies(joined);
  if (hit) return hit;
  return SQUASHED_OVERRIDE.test(joined.replace(/[^a-z]+/g, ''))
    ? { family: 'instruction-override', reason: 'asks to ignore instructions (letters spaced out)' }
    : null;
}

const plainFamilies = (latin: string): Hit | null => wordFamilies(latin) ?? latinFamilies(latin);

function check(text: string): Hit | null {
  const v = guardViews(text);
  return (
    spacedOut(v.latin) ??
    wordFamilies(v.latin) ??
    latinFamilies(v.latin) ??
    nativeFamilies(v.native, v.base) ??
    (v.native !== v.latin ? wordFamilies(v.native) : null) ??
    encodedBlob(v.base) ??
    liveCredential(v.base) ??
    cipherText(v.latin, plainFamilies)
  );
}

/**
 * The other ways a text may be read, each checked too when it applies: reversed when right-to-left overrides
 * show it so or the text says to read it backwards, fillers dropped, %XX escapes decoded, flag emoji as letters.
 */
const READINGS: ReadonlyArray<(text: string) => string | null> = [
  (t) => (/[\u202e\u2067]/.test(t) || /\b(?:backwards?|reversed?|in\s+reverse)\b/i.test(t) ? [...t].reverse().join('') : null),
  withoutFillers,
  percentDecoded,
  flagLetters,
];

/** Is `text` safe to store and show to agents? When not, which family it falls into and why. */
export function guardText(text: string): GuardVerdict {
  const t = text.length > MAX_GUARDED_CHARS ? text.slice(0, MAX_GUARDED_CHARS) : text;
  const hidden = hiddenTagText(t);
  if (hidden.trim().length >= 3)
    return { ok: false, family: 'encoded-payload', reason: 'contains text hidden in invisible Unicode tag characters' };
  let hit = check(t);
  for (let k = 0; k < READINGS.length && !hit; k++) {
    const reading = READINGS[k]!(t);
    if (reading !== null) hit = check(reading);
  }
  return hit ? { ok: false, family: hit.family as GuardFamily, reason: hit.reason } : OK;
}

/** Regional-indicator "flag" letters (🇩 🇮 🇸 …) read as the letters they show, when there are at least four. */
function flagLetters(text: string): string | null {
  const flags = /[\u{1F1E6}-\u{1F1FF}]/gu;
  if ((text.match(flags) ?? []).length < 4) return null;
  return text.replace(flags, (c) => String.fromCharCode(0x61 + c.codePointAt(0)! - 0x1f1e6));
}

/** The text with its %XX escapes read, when it has at least three of them (null otherwise). */
function percentDecoded(text: string): string | null {
  if ((text.match(/%[0-9a-f]{2}/gi) ?? []).length < 3) return null;
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** The reason `text` looks like a prompt injection or harmful practice, or null when it does not. */
export function promptInjectionReason(text: string): string | null {
  const v = guardText(text);
  return v.ok ? null : v.reason;
}

/** The parts of a lesson that reach agents, guarded together (insight, skill, tags). */
export interface GuardedLessonFields {
  insight: string;
  skill?: string | null;
  tags?: readonly string[] | string | null;
}

/** {@link guardText} over a stored lesson's agent-facing fields: run on every lesson read back. */
export function guardStoredLesson(lesson: GuardedLessonFields): GuardVerdict {
  const own = guardText(lesson.insight);
  if (!own.ok) return own;
  const tags = typeof lesson.tags === 'string' ? lesson.tags : (lesson.tags ?? []).join(' ');
  const extra = `${lesson.skill ?? ''} ${tags}`.trim();
  return extra ? guardText(extra) : OK;
}

/** Drops what the guard strips anyway, for text shown to people: invisible and bidi characters. */
export const visibleText = stripInvisible;
