/**
 * Text as the guard reads it. Attackers hide words from pattern matching with invisible characters,
 * look-alike letters from other scripts, fullwidth or mathematical letters, accents and digits for letters;
 * each is undone here before any family is matched, so one word list serves every spelling.
 */

// Default-ignorable and bidi-control code points: invisible in a rendered comment, so they can split a word
// without a reader seeing it, or reorder what a reader sees. Lesson text never needs them.
const ZERO_WIDTH =
  /[\u00AD\u034F\u061C\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFE00-\uFE0F\uFEFF\uFFF0-\uFFF8\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]/gu;
// Blank-looking fillers (Hangul fillers, braille blank): they render as a gap, so they read as a space.
const BLANK_FILLER = /[\u115F\u1160\u3164\uFFA0\u2800]/g;
const HAS_SPECIAL =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\uD82F\uD834\uDB40]/;

/** Drops zero-width, default-ignorable and bidi control characters; blank fillers become a space. */
export function stripInvisible(text: string): string {
  if (!HAS_SPECIAL.test(text)) return text;
  return text.replace(ZERO_WIDTH, '').replace(BLANK_FILLER, ' ');
}

/** Text hidden in Unicode tag characters (U+E0020–U+E007E spell ASCII invisibly), outside flag emoji. */
export function hiddenTagText(text: string): string {
  if (!text.includes('\uDB40')) return '';
  let out = '';
  let inFlag = false; // 🏴 + tags + U+E007F is a regional flag (England, Scotland, Wales): not hidden text
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x1f3f4) {
      inFlag = true;
    } else if (cp >= 0xe0000 && cp <= 0xe007f) {
      if (!inFlag && cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
      if (cp === 0xe007f) inFlag = false;
    } else {
      inFlag = false;
    }
  }
  return out;
}

// Look-alikes of Latin letters (after lower-casing): Cyrillic, Greek, Armenian, Latin small capitals and
// IPA letters. NFKC already folds fullwidth, mathematical, circled and superscript letters.
const CONFUSABLE_PAIRS =
  'аaбbвbгrеeёeкkмmнhоoпnрpсcтtуyхxшwѕsіiїiјjһhԁdԛqԝwӏlүyɡgɑaɩiıiȷjℓl' +
  'αaβbγyεeζzηnιiκkμuνvοoρpσoςcτtυuχxωwϲcϳj' +
  'օoսuոnհhցg' +
  'ᴀaʙbᴄcᴅdᴇeɢgʜhɪiᴊjᴋkʟlᴍmɴnᴏoᴘpʀrꜱsᴛtᴜuᴠvᴡwʏyᴢz';
const CONFUSABLE = new Map<string, string>();
for (let i = 0; i < CONFUSABLE_PAIRS.length; i += 2) CONFUSABLE.set(CONFUSABLE_PAIRS[i]!, CONFUSABLE_PAIRS[i + 1]!);

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
const LEET_WORD = /[a-z0-9@$]*[013457@$][a-z][a-z0-9@$]*/g;
// `$HOME`, `$GITHUB_TOKEN`, `@pytest`, `f=@-`: a sigil that starts a word is code, not a letter.
const SIGIL_START = /^[@$]+/;

/** Digits and `@`/`$` for letters inside a word that has letters ("1gn0re", "pr3v10us"), nowhere else. */
function deLeet(text: string): string {
  if (!/[013457@$][a-z]/.test(text)) return text;
  // Only where a stand-in digit is followed by a letter ("1gn0re", "pr3v10us"): "python3", "sha256",
  // "x64" and escapes like "\x63" keep their digits.
  return text.replace(LEET_WORD, (w, at: number) =>
    /[013457@$][a-z]/.test(w) &&
    text[at - 1] !== '\\' &&
    !/^x[0-9a-f]{2}$/.test(w) &&
    !(w.includes('@') && /^[\w-]*\.[a-z]{2,}/.test(text.slice(at + w.length, at + w.length + 80))) // an e-mail address
      ? leetWord(w)
      : w,
  );
}

function leetWord(w: string): string {
  const sigil = SIGIL_START.exec(w)?.[0] ?? '';
  return sigil + w.slice(sigil.length).replace(/[013457@$]/g, (c) => LEET[c]!);
}

export interface GuardViews {
  /** NFKC, invisible characters stripped, case kept: for case-sensitive payloads (base64, keys). */
  base: string;
  /** `base` lower-cased with accents removed: native scripts kept (Russian, CJK words match here). */
  native: string;
  /** `native` with look-alike letters mapped to Latin and light de-leet: English and code match here. */
  latin: string;
}

const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}+/gu;

/** Folds accents and case: the same function runs over the word lists, so both sides meet. */
export function foldNative(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

export function toLatin(native: string): string {
  let out = '';
  let changed = false;
  for (const ch of native) {
    const m = CONFUSABLE.get(ch);
    if (m !== undefined) {
      out += m;
      changed = true;
    } else {
      out += ch;
    }
  }
  return deLeet(changed ? out : native);
}

/**
 * Emphasis markers out ("**you** **are** **now**" reads "you are now"; `~~` strikes through), and empty
 * quotes or a backslash inside a word, which a shell drops (`ba''sh`, `c\url`) but a pattern would not.
 * A single `~` stays: `~/.npmrc` is a path.
 */
function plain(text: string): string {
  // Only `*` that touches a word is emphasis: a lone `*` (`Allow-Origin: *`, `"Action": "*"`) is data.
  if (text.includes('*') || text.includes('~~')) text = text.replace(/\*+(?=[\p{L}\p{N}_])|(?<=[\p{L}\p{N}_])\*+|~~+/gu, '');
  // 'cu' + 'rl -s ht' + 'tps://…': literals joined, as the program would join them.
  if (text.includes('+') && /['"]\s{0,3}\+\s{0,3}['"]/.test(text)) text = text.replace(/['"]\s{0,3}\+\s{0,3}['"]/g, '');
  if (text.includes("''") || text.includes('""') || text.includes('\\'))
    text = text.replace(/([a-z])(?:''|""|\\)(?=[a-z])/g, '$1');
  return text;
}

/** The three views of one text. ASCII text (most lessons) skips Unicode normalisation altogether. */
export function guardViews(text: string): GuardViews {
  if (!NON_ASCII.test(text)) {
    const lower = text.toLowerCase();
    return { base: text, native: lower, latin: plain(deLeet(lower)) };
  }
  const base = stripInvisible(text.normalize('NFKC'));
  const native = foldNative(base);
  return { base, native, latin: plain(toLatin(native)) };
}

/** The same text with blank fillers removed instead of spaced (they may also split one word). */
export function withoutFillers(text: string): string | null {
  return /[\u115F\u1160\u3164\uFFA0\u2800]/.test(text) ? text.replace(BLANK_FILLER, '') : null;
}
