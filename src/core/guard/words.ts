/**
 * Families found by word classes and proximity rather than phrase lists: "ignore … previous …
 * instructions" in any order and inflection, obeying negated, printing secrets, disabling TLS, committing
 * secrets, skipping tests or review, turning scanners off, decode-and-run. A negated verb ("never commit
 * .env files", "don't ignore lint warnings") is a safe rule and passes.
 */
import {
  BEFORE,
  CHECKS,
  classify,
  COMMIT,
  DEST,
  PLACEHOLDER,
  COMPLY,
  DECODE,
  DET,
  DISABLE,
  EVERYTHING,
  EXFIL,
  KEYHEAD,
  LINTER,
  NEG,
  NEUTRAL,
  NSTRONG,
  NWEAK,
  OVR,
  PROTECT,
  QALL,
  QUAL,
  REPO,
  RUN,
  SCANNER,
  SECRET,
  SKIPPABLE,
  STORE,
  TLS,
  VALID,
  VOID,
} from './lexicon.js';

export interface Hit {
  family: string;
  reason: string;
}

interface Tokens {
  words: string[];
  bits: number[];
  clause: number[];
  /** Does a comma come right before the word ("When a request fails, include …")? */
  comma: boolean[];
  /** Bits of every word, OR-ed: a family whose classes are absent is not looked at. */
  all: number;
}

// Letters, digits, `_` and in-word apostrophes; clause breaks at sentence marks, line breaks, `: ` and "but".
const TOKEN = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}]+)*|[.!?](?=\s|$)|[;\n]|(?<!"):(?=\s)|[,，、]/gu;
const MAX_TOKENS = 4000;

const ASCII_ONLY = /^[\x00-\x7f]*$/;

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90);
}

/** {@link tokenize} for ASCII text (most lessons) as a plain scan: same words, clauses and classes. */
function tokenizeAscii(text: string): Tokens {
  const words: string[] = [];
  const bits: number[] = [];
  const clause: number[] = [];
  const comma: boolean[] = [];
  let afterComma = false;
  let c = 0;
  let all = 0;
  const n = text.length;
  for (let i = 0; i < n && words.length < MAX_TOKENS;) {
    const ch = text.charCodeAt(i);
    if (isWordCode(ch)) {
      let j = i + 1;
      for (;;) {
        while (j < n && isWordCode(text.charCodeAt(j))) j++;
        if (j + 1 < n && text.charCodeAt(j) === 39 && /[a-z]/i.test(text[j + 1]!)) j += 2;
        else break;
      }
      let w = text.slice(i, j);
      i = j;
      if (w === 'but' || w === 'however') {
        c++;
        continue;
      }
      const apo = w.indexOf("'");
      if (apo > 0 && apo <= 2) {
        const head = w.slice(0, apo) === 'n' ? 'ne' : w.slice(0, apo);
        const hb = classify(head);
        words.push(head);
        bits.push(hb);
        clause.push(c);
        comma.push(afterComma);
        afterComma = false;
        all |= hb;
        w = w.slice(apo + 1);
      }
      const b = classify(w);
      words.push(w);
      bits.push(b);
      clause.push(c);
      comma.push(afterComma);
      afterComma = false;
      all |= b;
      continue;
    }
    if (ch === 44) afterComma = true;
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 32;
    const blankNext = next === 32 || next === 9 || next === 10 || next === 13 || i + 1 >= n;
    if (
      ch === 59 ||
      ch === 10 ||
      ((ch === 46 || ch === 33 || ch === 63) && blankNext) ||
      (ch === 58 && blankNext && i + 1 < n && text.charCodeAt(i - 1) !== 34) // `"key": "value"` is not a clause break
    )
      c++;
    i++;
  }
  return { words, bits, clause, comma, all };
}

export function tokenize(text: string): Tokens {
  if (ASCII_ONLY.test(text)) return tokenizeAscii(text);
  const words: string[] = [];
  const bits: number[] = [];
  const clause: number[] = [];
  const comma: boolean[] = [];
  let afterComma = false;
  let c = 0;
  let all = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m && words.length < MAX_TOKENS; m = TOKEN.exec(text)) {
    let w = m[0].replace('’', "'");
    const ch = w.charCodeAt(0);
    if (w === ',' || w === '，' || w === '、') {
      afterComma = true;
      continue;
    }
    if (w.length === 1 && (ch === 46 || ch === 59 || ch === 33 || ch === 63 || ch === 10 || ch === 58)) {
      c++;
      continue;
    }
    if (w === 'but' || w === 'however') {
      c++;
      continue;
    }
    // French/Italian elision ("n'ignore", "l'instruction"): the two halves are two words.
    const apo = w.indexOf("'");
    if (apo > 0 && apo <= 2) {
      const head = w.slice(0, apo) === 'n' ? 'ne' : w.slice(0, apo);
      words.push(head);
      const hb = classify(head);
      bits.push(hb);
      clause.push(c);
      comma.push(afterComma);
      afterComma = false;
      all |= hb;
      w = w.slice(apo + 1);
    }
    const b = classify(w);
    words.push(w);
    bits.push(b);
    clause.push(c);
    comma.push(afterComma);
    afterComma = false;
    all |= b;
  }
  return { words, bits, clause, comma, all };
}

/** Is the word at `i` negated: a negation right before it, across skippable words only? */
function negatedVerb(t: Tokens, i: number): boolean {
  for (let j = i - 1, steps = 0; j >= 0 && steps < 5 && t.clause[j] === t.clause[i]; j--, steps++) {
    const b = t.bits[j]!;
    if (b & NEG) return true;
    if (!(b & SKIPPABLE)) return false;
  }
  return false;
}

/** Is anything before `i` in its clause a negation that governs the rest ("never …", "avoid …")? */
function negatedClause(t: Tokens, i: number): boolean {
  for (let j = i - 1; j >= 0 && t.clause[j] === t.clause[i] && i - j <= 12; j--) {
    if (t.bits[j]! & NEG) {
      // "don't forget/hesitate/worry to …" encourages what follows.
      const next = t.bits[j + 1] ?? 0;
      const next2 = t.bits[j + 2] ?? 0;
      if (next & NEUTRAL || (next & SKIPPABLE && next2 & NEUTRAL)) continue;
      return true;
    }
  }
  return false;
}

/** German and French put the negation after the verb: "Deaktiviere niemals …", "N'affiche jamais …". */
function negatedAfter(t: Tokens, i: number): boolean {
  for (let j = i + 1; j <= i + 2 && j < t.words.length && t.clause[j] === t.clause[i]; j++)
    if (t.bits[j]! & NEG && t.words[j] !== 'instead' && t.words[j] !== 'rather' && t.words[j] !== 'without') return true;
  return false;
}

/**
 * "Disabling TLS verification makes this MITM-able": a gerund that its clause goes on to call harmful describes
 * the risk rather than asking for it ("… makes this less flaky" or "… is not dangerous" still asks).
 */
function harmDescribed(t: Tokens, i: number): boolean {
  if (!t.words[i]!.endsWith('ing')) return false;
  const c = t.clause[i];
  let linked = false;
  for (let j = i + 1; j <= i + 10 && j < t.words.length && t.clause[j] === c; j++) {
    const w = t.words[j]!;
    if (/^(?:makes?|is|are|was|would|could|will|exposes?|opens?|leaves?|leads?|causes?|risks?|invites?)$/.test(w)) linked = true;
    else if (linked && /^(?:mitm\w*|vulnerable|exploitable|insecure|unsafe|dangerous|risky|injectable|spoofable|attack\w*|compromis\w*)$/.test(w))
      return !/^(?:not|never|no|isn't|aren't|wouldn't|won't)$/.test(t.words[j - 1] ?? '') && !/^(?:not|never)$/.test(t.words[j - 2] ?? '');
  }
  return false;
}

function clauseHas(t: Tokens, i: number, mask: number): boolean {
  const c = t.clause[i];
  for (let j = i; j >= 0 && t.clause[j] === c; j--) if (t.bits[j]! & mask) return true;
  for (let j = i + 1; j < t.words.length && t.clause[j] === c; j++) if (t.bits[j]! & mask) return true;
  return false;
}

/** A word in the same clause within `span` words after (or, with `both`, also before) `i`. */
function near(t: Tokens, i: number, mask: number, span: number, both = false): number {
  const c = t.clause[i];
  for (let d = 1; d <= span; d++) {
    const j = i + d;
    if (j < t.words.length && t.clause[j] === c && t.bits[j]! & mask) return j;
    const k = i - d;
    if (both && k >= 0 && t.clause[k] === c && t.bits[k]! & mask) return k;
  }
  return -1;
}

function between(t: Tokens, a: number, b: number, mask: number, pad = 0): boolean {
  const lo = Math.max(0, Math.min(a, b) - pad);
  const hi = Math.min(t.words.length - 1, Math.max(a, b) + pad);
  for (let j = lo; j <= hi; j++)
    if (j !== a && j !== b && t.clause[j] === t.clause[a] && t.bits[j]! & mask) return true;
  return false;
}

function isSecretAt(t: Tokens, j: number): boolean {
  const w = t.words[j]!;
  if (t.bits[j]! & SECRET) {
    if (w === 'token' || w === 'tokens') {
      const next = t.words[j + 1] ?? '';
      const prev = t.words[j - 1] ?? '';
      if (
        /^(?:count|counts|usage|limit|limits|budget|length|size|ids?|types?|names?|prefix|scopes?|expiry|format|stream|cost|costs|per|window|estimate|number|bucket|refresh)$/.test(
          next,
        )
      )
        return false;
      if (
        /^(?:input|output|completion|prompt|max|of|csrf|cancellation|next|page|pagination|continuation|lexer|parser)$/.test(
          prev,
        )
      )
        return false;
    }
    if (
      (w === 'secret' || w === 'secrets') &&
      /^(?:manager|managers|store|scanning|scanner|storage)$/.test(t.words[j + 1] ?? '')
    )
      return false;
    if (w === 'pat' || w === 'cookie' || w === 'cookies')
      return /^(?:session|auth|github|personal|the|your)$/.test(t.words[j - 1] ?? '');
    return true;
  }
  // French, Spanish, Italian put the kind after the key: "clé d'API", "clave privada", "chiave segreta".
  if (/^(?:cle|cles|clave|claves|chiave|chiavi|chave|chaves)$/.test(w)) {
    const after = t.words[j + 1] === 'd' || t.words[j + 1] === 'de' || t.words[j + 1] === 'di' ? t.words[j + 2] : t.words[j + 1];
    return /^(?:api|privee|privada|privado|privata|secrete|secreta|segreta|secreta|ssh|acces|acceso|accesso|acesso)$/.test(after ?? '');
  }
  if ((w === 'authorization' || w === 'auth' || w === 'bearer') && /^(?:header|headers|token|cookie)$/.test(t.words[j + 1] ?? ''))
    return true;
  // "api key", "private key", "ssh keys", ".env" file
  if ((w === 'key' || w === 'keys') && j > 0 && t.bits[j - 1]! & KEYHEAD) return true;
  // ".env": the tokenizer drops the dot, so "env" counts as the file only when named as one.
  // "database connection strings", "Slack webhook URLs", "Authorization and Cookie headers"
  if ((w === 'strings' || w === 'string') && t.words[j - 1] === 'connection') return true;
  if ((w === 'url' || w === 'urls') && t.words[j - 1] === 'webhook') return true;
  if (w === 'authorization' && t.words.slice(Math.max(0, j - 3), j).some((x) => x === 'headers' || x === 'header')) return true;
  if (w === 'passe' && t.words[j - 1] === 'de' && t.words[j - 2] === 'mot') return true; // "mot de passe"
  if (w === 'env') {
    const next = t.clause[j + 1] === t.clause[j] ? (t.words[j + 1] ?? '') : '';
    if (/^(?:file|files)$/.test(next)) return true;
    if (/^(?:vars?|variables?|example|sample|template)$/.test(next)) return false;
    return /^(?:the|your|a|this|our|their|commit|add|of|cat|post|print|upload|send|archivo|fichier|datei|del|du|die|das|la|le|el)$/.test(
      t.words[j - 1] ?? '',
    );
  }
  return false;
}

const PHRASAL_TAIL = new Set(['aside', 'away', 'out', 'over', 'attention', 'mind', 'say', 'sayin']);

/** "set aside", "throw away", "pay no attention to": override verbs of two or three words (at their last word). */
function phrasalOverride(t: Tokens, i: number): boolean {
  const w = t.words[i]!;
  const prev = t.words[i - 1] ?? '';
  if ((w === 'aside' || w === 'away') && /^(?:set|put|throw|toss|cast|brush|push|sweep)$/.test(prev)) return true;
  if (w === 'out' && /^(?:throw|toss|chuck|cross|strike|rule)$/.test(prev)) return true;
  // "takes priority over all earlier instructions"
  if (w === 'over' && /^(?:priority|precedence|preference)$/.test(prev)) return true;
  if (w === 'mind' && prev === 'of' && t.words[i - 2] === 'out') return true; // "put out of mind"
  if (w.startsWith('say') && prev === 'yok') return true; // Turkish "yok say": ignore
  return w === 'attention' && /^(?:no|zero)$/.test(prev) && /^(?:pay|paying|pays)$/.test(t.words[i - 2] ?? '');
}

function phrasalStart(t: Tokens, i: number): number {
  const w = t.words[i];
  if (w === 'mind') return i - 3;
  return w === 'attention' ? i - 2 : w === 'aside' || w === 'away' || w === 'out' || w === 'over' ? i - 1 : i;
}

/** Qualifiers that place instructions before this text ("previous", "above", "all", "your"), not "old" or "existing". */
const WEAK_QUAL = /^(?:old|existing|given|provided|preset|original|initial|initially|originally|remaining)$/;

/** "the rules you were loaded with", "the guidance you got at setup": the reader's own instructions, named after. */
const OWNED_AFTER = /^(?:got|get|were|was|received|operate|operated|had|have|follow|obey|loaded|given|told|configured|started)$/;

/** "you were …", "it got …" at `j`: the reader named as the owner of the instructions. */
const ownedAt = (t: Tokens, j: number): boolean =>
  (t.words[j] === 'you' || t.words[j] === 'it' || t.words[j] === 'they') && OWNED_AFTER.test(t.words[j + 1] ?? '');

function priorQualifier(t: Tokens, a: number, b: number, pad: number): boolean {
  const lo = Math.max(0, Math.min(a, b) - pad);
  const hi = Math.min(t.words.length - 1, Math.max(a, b) + pad);
  for (let j = lo; j <= hi; j++) {
    if (t.clause[j] !== t.clause[a]) continue;
    const w = t.words[j]!;
    if (t.bits[j]! & (QUAL | QALL | BEFORE) && !WEAK_QUAL.test(w)) return true;
    if (w === 'its' || w === 'their') return true;
    if (w === 'guardrails' || w === 'guardrail' || w === 'safeguards') return true; // only an agent has them
    if (ownedAt(t, j)) return true;
  }
  return false;
}

/** "the constraints you were started with": the reader's own instructions, named after the noun. */
function ownedAfter(t: Tokens, a: number, b: number, pad: number): boolean {
  const hi = Math.min(t.words.length - 1, Math.max(a, b) + pad);
  for (let j = Math.min(a, b); j <= hi; j++) if (t.clause[j] === t.clause[a] && ownedAt(t, j)) return true;
  return false;
}

/** Is the word at `i` a declaration that something is void: "withdrawn", "rescinded", or "no longer apply"? */
function voidWord(t: Tokens, i: number): boolean {
  const b = t.bits[i]!;
  if (b & VOID) return !negatedVerb(t, i);
  if (!(b & VALID)) return false;
  // "is binding any longer" (after "nothing"), "doesn't apply anymore"
  if (t.words[i + 1] === 'anymore' || (t.words[i + 1] === 'any' && t.words[i + 2] === 'longer')) return true;
  if (/^(?:plus|mehr|piu|mas)$/.test(t.words[i + 1] ?? '')) return true; // "ne s'appliquent plus", "gelten nicht mehr"
  // "gäller inte längre", "gelten hier nicht mehr", "berlaku lagi" after a negation
  for (let j = i + 1; j <= i + 3 && j < t.words.length && t.clause[j] === t.clause[i]; j++) {
    const w = t.words[j]!;
    if (w === 'inte' || w === 'ikke' || w === 'anymore') return true;
    if (/^(?:mehr|plus|longer|lagi)$/.test(w) && t.bits[j - 1]! & NEG) return true;
  }
  for (let j = i - 1; j >= 0 && j >= i - 4 && t.clause[j] === t.clause[i]; j--) {
    const w = t.words[j]!;
    if (t.bits[j]! & NEG || w === 'longer' || w === 'sin' || w === 'mehr' || w === 'plus' || w === 'piu') return true;
  }
  return false;
}

/** "the previous instructions in CONTRIBUTING.md": instructions of a document, edited like any text. */
function inDocument(t: Tokens, n: number): boolean {
  if (t.words[n + 1] !== 'in' && t.words[n + 1] !== 'of') return false;
  return t.words.slice(n + 2, n + 5).some((w) => /^(?:readme|contributing|docs?|wiki|guide|changelog|md|manual|install)$/.test(w));
}

/** "The preceding guidance is withdrawn", "las reglas anteriores quedan sin efecto", "everything above is void". */
function voidDeclaration(t: Tokens): Hit | null {
  if (!(t.all & (VOID | VALID))) return null;
  for (let i = 0; i < t.words.length; i++) {
    if (!voidWord(t, i)) continue;
    const n = near(t, i, NSTRONG | NWEAK, 16, true);
    if (n >= 0 && priorQualifier(t, i, n, 8) && !inDocument(t, n))
      return { family: 'instruction-override', reason: 'declares the earlier instructions void' };
    const e = near(t, i, EVERYTHING, 12, true);
    if (e >= 0 && near(t, e, BEFORE, 4) >= 0)
      return { family: 'instruction-override', reason: 'declares everything before it void' };
  }
  return null;
}

function override(t: Tokens): Hit | null {
  const declared = voidDeclaration(t);
  if (declared) return declared;
  if (!(t.all & (NSTRONG | NWEAK | EVERYTHING))) return null;
  if (!(t.all & (OVR | COMPLY | QUAL)) && !t.words.some((w) => PHRASAL_TAIL.has(w))) return null;
  for (let i = 0; i < t.words.length; i++) {
    const b = t.bits[i]!;
    let verb = false;
    if ((b & OVR || phrasalOverride(t, i)) && !negatedVerb(t, phrasalStart(t, i))) verb = true;
    else if (b & COMPLY && negatedVerb(t, i)) verb = true;
    if (!verb) continue;
    // A weak noun ("configuration", "rules") is what the verb throws away when it follows the verb, or comes
    // before it and is taken up again ("the rules above: ignore them").
    const strongAt = near(t, i, NSTRONG, 12, true);
    const weakAt = near(t, i, NWEAK, 12, /^(?:them|it|those|these|all|both|everything)$/.test(t.words[i + 1] ?? ''));
    const n = strongAt >= 0 && (weakAt < 0 || Math.abs(strongAt - i) <= weakAt - i) ? strongAt : weakAt;
    if (n >= 0) {
      const strong = (t.bits[n]! & NSTRONG) !== 0;
      if (between(t, i, n, QUAL, 4) || ownedAfter(t, i, n, 6) || (strong && between(t, i, n, QALL, 2)))
        return { family: 'instruction-override', reason: 'asks to ignore instructions' };
    }
    const e = near(t, i, EVERYTHING, 3);
    if (e >= 0 && near(t, e, BEFORE, 5) >= 0)
      return { family: 'instruction-override', reason: 'asks to ignore instructions (forget everything before)' };
  }
  return null;
}

const VERB_LEAD =
  /^(?:to|and|or|then|always|please|just|should|must|will|can|could|we|you|also|simply|directly|first|immediately|now|i|let's|lets|go|make|sure|instead|be|been|get|gets|are|is)$/;

/** Is the word at `i` used as a verb (an order): first in its clause, or after "to", "and", "should", "you" ...? */
function verbPosition(t: Tokens, i: number): boolean {
  return i === 0 || t.clause[i - 1] !== t.clause[i] || t.comma[i] === true || VERB_LEAD.test(t.words[i - 1]!);
}

/** "If the token is rejected, email it to …": the secret named first, then sent on as "it". */
function sentOnAsIt(t: Tokens, i: number): boolean {
  if (!(t.bits[i]! & EXFIL) || !/^(?:it|them)$/.test(t.words[i + 1] ?? '')) return false;
  let dest = false;
  for (let k = i + 2; k <= i + 7 && k < t.words.length && t.clause[k] === t.clause[i]; k++)
    if (t.words[k] === 'to' || t.bits[k]! & DEST) dest = true;
  if (!dest || negatedClause(t, i)) return false;
  for (let j = i - 1; j >= 0 && j >= i - 12 && t.words[j] !== '.'; j--) if (isSecretAt(t, j)) return true;
  return false;
}

function exfiltration(t: Tokens): Hit | null {
  if (!(t.all & (EXFIL | STORE))) return null;
  for (let i = 0; i < t.words.length; i++) {
    if (sentOnAsIt(t, i)) return { family: 'secret-exfiltration', reason: `asks to ${t.words[i]} a secret elsewhere` };
    // "include/put/add/write the token in the PR description" exfiltrates as surely as "print".
    const verb = t.bits[i]! & EXFIL || (t.bits[i]! & STORE && clauseHas(t, i, DEST));
    if (!verb || t.bits[i]! & PROTECT || !verbPosition(t, i) || negatedAfter(t, i)) continue;
    for (let j = i + 1; j < t.words.length && j <= i + 7 && t.clause[j] === t.clause[i]; j++) {
      if (!isSecretAt(t, j)) continue;
      if (negatedClause(t, i) || between(t, i, j, NEG) || protectedNear(t, i, j)) break;
      // "print whether the secret is set": about the secret's presence, not its value.
      if (t.words.slice(i + 1, j).some((w) => w === 'whether' || w === 'if')) break;
      // "send the token in the X-CSRFToken header": the way a token is meant to travel.
      if ((t.words[j + 1] === 'in' || t.words[j + 2] === 'in') && t.words.slice(j + 1, j + 6).some((w) => w === 'header' || w === 'headers')) break;
      // "a hash of the token", "the token's length", "the number of tokens": about a secret, not the secret.
      const k = t.words[j - 1] === 'of' ? j - 2 : t.words[j - 2] === 'of' ? j - 3 : j - 1;
      if (
        /^(?:number|count|length|prefix|suffix|hash|fingerprint|last|first|name|names|type|id|expiry|scopes?|digest|presence|existence)$/.test(
          t.words[k] ?? '',
        )
      )
        break;
      return { family: 'secret-exfiltration', reason: `asks to ${t.words[i]} a secret (${t.words[j]})` };
    }
  }
  return null;
}

/** A protective word ("masked", "redacted", "hash") near the verb or the secret, itself not negated ("so GitHub doesn't mask it"). */
function protectedNear(t: Tokens, i: number, j: number): boolean {
  const c = t.clause[i];
  for (let k = Math.max(0, i - 3); k <= j + 4 && k < t.words.length; k++)
    if (t.clause[k] === c && t.bits[k]! & PROTECT && !negatedVerb(t, k)) return true;
  return false;
}

/** Is the object at `j` generic ("the tests", "all checks", "CI") and the clause open-ended after it? */
function genericObject(t: Tokens, v: number, j: number): boolean {
  for (let k = v + 1; k < j; k++)
    if (!(t.bits[k]! & (DET | SKIPPABLE)) && t.words[k] !== 'out' && t.words[k] !== 'off') return false;
  const next = t.words[j + 1];
  if (next === undefined || t.clause[j + 1] !== t.clause[j]) return true;
  if (
    /^(?:to|so|and|entirely|completely|altogether|everywhere|always|just|globally|before|until|now|again|too|instead|rather|statt|anstatt|plutot|en)$/.test(
      next,
    )
  )
    return true;
  if (/^(?:if|when|whenever|that|which|die|que|qui)$/.test(next)) {
    for (let k = j + 2; k <= j + 5 && k < t.words.length; k++)
      if (
        /^(?:fail|fails|failing|break|breaks|slow|red|flaky|block|blocks|complain|complains|hurry|rush|rushed|busy|urgent|deadline|intermittently|fehlschlagen|echouent|fallan)$/.test(
          t.words[k]!,
        )
      )
        return true;
  }
  return false;
}

function safety(t: Tokens): Hit | null {
  if (!(t.all & (DISABLE | COMMIT | STORE)) && !t.words.includes('check')) return null;
  for (let i = 0; i < t.words.length; i++) {
    const b = t.bits[i]!;
    if (b & DISABLE) {
      const w = t.words[i]!;
      if ((w === 'turn' || w === 'switch') && t.words[i + 1] !== 'off') continue;
      if (w === 'comment' && t.words[i + 1] !== 'out') continue;
      if (negatedClause(t, i) || negatedAfter(t, i) || harmDescribed(t, i)) continue;
      let tls = near(t, i, TLS, 5);
      if (tls < 0) tls = near(t, i, TLS, 3, true);
      if (
        tls >= 0 &&
        !/^(?:v?1|v?2|v?3|1_0|1_1|sslv2|sslv3)$/.test(t.words[tls + 1] ?? '') &&
        !/^\d/.test(t.words[tls + 1] ?? '')
      )
        return { family: 'unsafe-practice', reason: 'disables TLS/certificate verification' };
      for (let k = i + 1; k <= i + 5 && k < t.words.length && t.clause[k] === t.clause[i]; k++)
        if (
          /^(?:csrf|xsrf|csp|helmet|selinux|apparmor|firewall|firewalls|2fa|mfa|checksum|checksums|integrity|authentification|autenticacion|autenticacao|authentifizierung|autenticazione|аутентификац\w*)$/u.test(
            t.words[k]!,
          )
        )
          return { family: 'unsafe-practice', reason: `disables a security control (${t.words[k]})` };
      const sc = near(t, i, SCANNER, 4);
      if (sc >= 0 && t.words[sc] !== 'security')
        return { family: 'unsafe-practice', reason: `turns off a security scanner (${t.words[sc]})` };
      if (sc >= 0 && /^(?:scan|scans|scanning|scanner|scanners|checks?|alerts|tools?)$/.test(t.words[sc + 1] ?? ''))
        return { family: 'unsafe-practice', reason: 'turns off security scanning' };
      const lint = near(t, i, LINTER, 3);
      if (lint >= 0 && genericObject(t, i, lint))
        return { family: 'unsafe-practice', reason: `turns the linter off (${t.words[lint]})` };
      const ch = near(t, i, CHECKS, 4);
      if (ch >= 0 && genericObject(t, i, ch)) return { family: 'unsafe-practice', reason: `skips ${t.words[ch]}` };
      for (let k = i + 2; k <= i + 4 && k < t.words.length; k++)
        if (t.words[k] === 'protection' && t.words[k - 1] === 'branch')
          return { family: 'unsafe-practice', reason: 'disables branch protection' };
    }
    const checkIn = t.words[i] === 'check' && t.words.slice(i + 1, i + 6).some((w) => w === 'in' || w === 'into');
    if (b & (COMMIT | STORE) || checkIn) {
      if (!verbPosition(t, i) || negatedClause(t, i) || clauseHas(t, i, PROTECT | PLACEHOLDER)) continue;
      for (let d = -6; d <= 6; d++) {
        const j = i + d;
        if (d === 0 || j < 0 || j >= t.words.length || t.clause[j] !== t.clause[i] || !isSecretAt(t, j)) continue;
        if (between(t, i, j, NEG)) break;
        if (b & COMMIT || checkIn || (b & STORE && repoDestination(t, i)))
          return { family: 'unsafe-practice', reason: `commits secrets to the repository (${t.words[j]})` };
      }
    }
  }
  return null;
}

/** A repository named as the destination in `i`'s clause, not negated ("…, not in the repo"). */
function repoDestination(t: Tokens, i: number): boolean {
  const c = t.clause[i];
  for (let j = i + 1; j < t.words.length && t.clause[j] === c; j++) {
    if (!(t.bits[j]! & REPO)) continue;
    if (/^(?:actions|secrets|environments?)$/.test(t.words[j + 1] ?? '')) continue; // GitHub Actions secrets: the safe place
    let negated = false;
    for (let k = i + 1; k < j; k++) if (t.bits[k]! & NEG) negated = true;
    if (!negated) return true;
  }
  return false;
}

function decodeAndRun(t: Tokens): Hit | null {
  if (!(t.all & DECODE) || !(t.all & RUN)) return null;
  for (let i = 0; i < t.words.length; i++) {
    if (!(t.bits[i]! & DECODE)) continue;
    const r = near(t, i, RUN, 10);
    const runFirst = near(t, i, RUN, 4, true);
    if (runFirst >= 0 && runFirst < i && !negatedClause(t, runFirst))
      return { family: 'encoded-payload', reason: 'asks to run something decoded' };
    if (r < 0 || negatedClause(t, i)) continue;
    const next = t.words[r + 1] === 'the' ? t.words[r + 2] : t.words[r + 1];
    if (
      next === undefined ||
      t.clause[r + 1] !== t.clause[r] ||
      /^(?:it|this|that|them|result|output|decoded|command|commands|string|payload|instructions?|text|script|what|whatever)$/.test(
        next,
      )
    )
      return { family: 'encoded-payload', reason: 'asks to decode something and run it' };
  }
  return null;
}

/** The first word-level family the text falls into, or null. */
export function wordFamilies(text: string): Hit | null {
  // A link is one word here: "https://example.com/disabling-package-lock" names no TLS setting.
  const t = tokenize(text.includes('://') ? text.replace(/\bhttps?:\/\/[^\s)\]>"'`]+/g, ' url ') : text);
  if (!t.words.length) return null;
  return override(t) ?? exfiltration(t) ?? safety(t) ?? decodeAndRun(t);
}
