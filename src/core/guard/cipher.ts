/**
 * Instructions hidden in a letter cipher: rot13 or another Caesar shift, or written backwards. A segment
 * of text with no common English word in it is tried under each shift and reversed; when one reading
 * turns into English that a guard family refuses, or into English the text says to decode, it is refused.
 * Ordinary lessons are English already and leave at the first common word, so the cost stays linear.
 */
import type { Hit } from './words.js';

// Function words of English and the languages the guard reads: a reading that has them is language.
const COMMON = new Set(
  (
    'the a an to of and in is it for on with be this that all you your or not are by as at from do if any into so its was will must should no we can use ' +
    'el la los las de del y que en un una por para le les et des du une der die das und ist nicht mit ein eine zu il di che per o os as da e'
  ).split(' '),
);
const MIN_WORDS = 4;
// "backward pass", "backward compatible", "reversed list" are code words: only reading backwards is a hint.
const HINT =
  /\brot-?\s?13\b|\bcaesar\b|\bcipher\b|\bshift(?:ed)?\s+(?:by\s+)?\d{1,2}\b|\b(?:read|written|spelled|write|spell|reverse|type)\w*\s+(?:it\s+|this\s+|the\s+\w+\s+)?backwards?\b|\b(?:backwards?|reversed)\s*[:：]|\bdecode\b|\bdecipher\b|\bdecrypt\b/;
const MAX_SCAN = 4096;
const MORSE: Record<string, string> = {};
'a.- b-... c-.-. d-.. e. f..-. g--. h.... i.. j.--- k-.- l.-.. m-- n-. o--- p.--. q--.- r.-. s... t- u..- v...- w.-- x-..- y-.-- z--..'
  .split(' ')
  .forEach((e) => (MORSE[e.slice(1)] = e[0]!));
const MORSE_RUN = /(?:[.-]{1,5}[ ]{1,3}(?:\/[ ]{1,3})?){7,}[.-]{1,5}/;

/** Morse code ("… --- …"), read back as letters and words. */
function morse(latin: string): string | null {
  const m = MORSE_RUN.exec(latin);
  if (!m) return null;
  return m[0]
    .split(/\s*\/\s*|\s{3,}/)
    .map((w) => w.trim().split(/\s+/).map((c) => MORSE[c] ?? '').join(''))
    .join(' ');
}

function commonShare(words: readonly string[]): number {
  let n = 0;
  for (const w of words) if (COMMON.has(w)) n++;
  return n / words.length;
}

function shift(text: string, by: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 97 && c <= 122 ? String.fromCharCode(((c - 97 + by) % 26) + 97) : text[i];
  }
  return out;
}

const reverse = (text: string): string => [...text].reverse().join('');

/** Segments of `latin` (split at sentence marks, colons, line breaks) of ≥ 4 letter words and no common word. */
function opaqueSegments(latin: string): string[] {
  const out: string[] = [];
  for (const seg of latin.slice(0, MAX_SCAN).split(/[.:;!?\n()"]+/)) {
    const words = seg.match(/[a-z]{2,}/g);
    if (!words || words.length < MIN_WORDS) continue;
    if (commonShare(words) === 0) out.push(seg);
  }
  return out;
}

const DECIMAL_RUN = /(?<![\d.])(?:\d{2,3}\s{0,2}[,;]\s{0,2}|\d{2,3}\s{1,2}){7,}\d{2,3}(?![\d.])/;
const BINARY_RUN = /(?<![01])(?:[01]{8}[\s,]{1,2}){3,}[01]{8}(?![01])/;

/** Decimal character codes ("105,103,110,…") or 8-bit binary groups, read back as text when they are all printable. */
export function charCodes(latin: string): string | null {
  const text = latin.slice(0, MAX_SCAN);
  const bin = BINARY_RUN.exec(text);
  const dec = bin ? null : DECIMAL_RUN.exec(text);
  const m = bin ?? dec;
  if (!m) return null;
  const codes = m[0].split(/[\s,;]+/).filter(Boolean).map((x) => parseInt(x, bin ? 2 : 10));
  if (!codes.every((c) => c >= 32 && c <= 126)) return null;
  return String.fromCharCode(...codes).toLowerCase();
}

/**
 * The cipher check. `refuses` is the guard's own family check, passed in to keep the imports one way.
 */
export function cipherText(latin: string, refuses: (text: string) => Hit | null): Hit | null {
  const coded = charCodes(latin);
  if (coded) {
    const hit = refuses(coded);
    if (hit) return { family: 'encoded-payload', reason: `hides an instruction in character codes (${hit.reason})` };
  }
  // A named cipher over the whole text: "run the setup string after ROT13: phey -f …".
  if (/\brot-?\s?13\b/.test(latin)) {
    const hit = refuses(shift(latin, 13));
    if (hit) return { family: 'encoded-payload', reason: `hides an instruction in rot13 (${hit.reason})` };
  }
  const dots = latin.includes('.-') || latin.includes('-.') ? morse(latin) : null;
  if (dots) {
    const words = dots.match(/[a-z]{2,}/g) ?? [];
    if (words.length >= 2) return { family: 'encoded-payload', reason: 'hides text in Morse code' };
  }
  const segments = opaqueSegments(latin);
  if (!segments.length) return null;
  const hinted = HINT.test(latin);
  for (const seg of segments) {
    const readings = [{ text: reverse(seg), how: 'written backwards' }];
    for (let by = 1; by < 26; by++) readings.push({ text: shift(seg, by), how: by === 13 ? 'in rot13' : 'in a letter-shift cipher' });
    for (const r of readings) {
      const words = r.text.match(/[a-z]{2,}/g) ?? [];
      const share = commonShare(words);
      if (share < 0.2) continue;
      const hit = refuses(r.text);
      if (hit) return { family: 'encoded-payload', reason: `hides an instruction ${r.how} (${hit.reason})` };
      if (hinted) return { family: 'encoded-payload', reason: `hides text ${r.how}` };
    }
  }
  return null;
}
