/**
 * Text measures shared by distill and capture: mycelium's tokenizer, Jaccard similarity and key prefix.
 */

const CJK_FIRST = 0x4e00;
const CJK_LAST = 0x9fff;

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57); // a-z, 0-9 (input is lowercased)
}

/**
 * Lowercase; ASCII runs `[a-z0-9]+` of length >= 2; plus bigrams of adjacent characters inside each
 * contiguous run of CJK ideographs U+4E00–U+9FFF (never across a run boundary).
 * A hand-written scan, not a regex: distill tokenizes every harvested lesson.
 */
export function tokenize(text: string): Set<string> {
  const lower = text.toLowerCase();
  const tokens = new Set<string>();
  const n = lower.length;
  let i = 0;
  while (i < n) {
    const c = lower.charCodeAt(i);
    if (isAsciiWordChar(c)) {
      let j = i + 1;
      while (j < n && isAsciiWordChar(lower.charCodeAt(j))) j++;
      if (j - i >= 2) tokens.add(lower.slice(i, j));
      i = j;
    } else if (c >= CJK_FIRST && c <= CJK_LAST) {
      let j = i + 1;
      while (j < n) {
        const d = lower.charCodeAt(j);
        if (d < CJK_FIRST || d > CJK_LAST) break;
        j++;
      }
      for (let k = i; k + 1 < j; k++) tokens.add(lower.slice(k, k + 2));
      i = j;
    } else {
      i++;
    }
  }
  return tokens;
}

/** Jaccard similarity of two token sets; 0 when either is empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const t of small) if (large.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

export type Similarity = (a: ReadonlySet<string>, b: ReadonlySet<string>) => number;

const GENERIC_PREFIXES = new Set(['legacy', 'lesson', 'the', 'a', 'an']);

/** The key's domain: text before the first `-`, lowercased; none when empty, all digits or generic. */
export function keyPrefix(key: string): string | null {
  const dash = key.indexOf('-');
  const head = (dash === -1 ? key : key.slice(0, dash)).toLowerCase();
  if (head === '' || /^\d+$/.test(head) || GENERIC_PREFIXES.has(head)) return null;
  return head;
}

/** A growable list of int32s, in shared memory (so that worker threads can read it without a copy). */
export class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = IntList.alloc(Math.max(16, capacity));
  }
  private static alloc(n: number): Int32Array {
    return new Int32Array(new SharedArrayBuffer(n * 4));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = IntList.alloc(Math.ceil(this.data.length * 1.25) + 16);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  /** The values: a view of the list's buffer (no copy; spare capacity stays allocated). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * {@link tokenize} for many texts at once, with each distinct token interned as a dense integer id.
 * A token seen before costs no allocation: it is hashed and compared in place against a character arena.
 */
export class TokenTable {
  private readonly strings: string[] = [];
  // Token characters, back to back: token id's are chars[start[id] .. start[id + 1]).
  private chars = new Uint16Array(1 << 16);
  private start = new Int32Array(1 << 12);
  private charCount = 0;
  // Open addressing: [hash, id + 1] pairs; id + 1 = 0 is empty.
  private slots = new Int32Array(1 << 13);
  private seen = new Int32Array(1 << 12); // per id: the serial of the last text that produced it
  private serial = 0;

  /** How many distinct tokens so far (ids are 0 .. size - 1). */
  get size(): number {
    return this.strings.length;
  }

  token(id: number): string {
    return this.strings[id]!;
  }

  /** Appends the ids of the tokens of `text` (the set {@link tokenize} returns), each once, to `out`; returns how many. */
  tokenizeInto(text: string, out: IntList): number {
    const before = out.length;
    // ASCII text is lowercased on the fly; anything else goes through toLowerCase, which may change
    // lengths (İ becomes i + a combining dot) exactly as tokenize sees it.
    if (!this.scan(text, false, out)) {
      out.length = before;
      this.scan(text.toLowerCase(), true, out);
    }
    return out.length - before;
  }

  /** Tokenizes `s` into `out`; with `lowered` false, gives up (returns false) at the first non-ASCII character. */
  private scan(s: string, lowered: boolean, out: IntList): boolean {
    const serial = ++this.serial;
    const n = s.length;
    let i = 0;
    while (i < n) {
      let c = s.charCodeAt(i);
      if (c >= 128 && !lowered) return false;
      if (c >= 65 && c <= 90 && !lowered) c += 32;
      if (isAsciiWordChar(c)) {
        let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
        let j = i + 1;
        for (; j < n; j++) {
          let d = s.charCodeAt(j);
          if (d >= 65 && d <= 90 && !lowered) d += 32;
          if (!isAsciiWordChar(d)) break;
          h = Math.imul(h ^ d, FNV_PRIME);
        }
        if (j - i >= 2) this.add(s, i, j, h, serial, out, !lowered);
        i = j;
      } else if (c >= CJK_FIRST && c <= CJK_LAST) {
        let j = i + 1;
        while (j < n) {
          const d = s.charCodeAt(j);
          if (d < CJK_FIRST || d > CJK_LAST) break;
          j++;
        }
        for (let k = i; k + 1 < j; k++) {
          const h = Math.imul(Math.imul(FNV_OFFSET ^ s.charCodeAt(k), FNV_PRIME) ^ s.charCodeAt(k + 1), FNV_PRIME);
          this.add(s, k, k + 2, h, serial, out, false);
        }
        i = j;
      } else {
        i++;
      }
    }
    return true;
  }

  private add(s: string, from: number, to: number, h: number, serial: number, out: IntList, fold: boolean): void {
    const len = to - from;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = Math.imul(h, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= mask;
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) break;
      if (slots[2 * slot] === h) {
        const id = entry - 1;
        const at = this.start[id]!;
        if (this.start[id + 1]! - at === len) {
          const chars = this.chars;
          let k = 0;
          if (fold) {
            for (; k < len; k++) {
              let d = s.charCodeAt(from + k);
              if (d >= 65 && d <= 90) d += 32;
              if (chars[at + k] !== d) break;
            }
          } else {
            while (k < len && chars[at + k] === s.charCodeAt(from + k)) k++;
          }
          if (k === len) {
            if (this.seen[id] !== serial) {
              this.seen[id] = serial;
              out.push(id);
            }
            return;
          }
        }
      }
      slot++;
    }
    // A new token.
    const id = this.strings.length;
    const text = fold ? s.slice(from, to).toLowerCase() : s.slice(from, to);
    this.strings.push(text);
    if (this.charCount + len > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charCount + len));
      chars.set(this.chars);
      this.chars = chars;
    }
    for (let k = 0; k < len; k++) this.chars[this.charCount + k] = text.charCodeAt(k);
    this.charCount += len;
    if (id + 2 > this.start.length) {
      const start = new Int32Array(this.start.length * 2);
      start.set(this.start);
      this.start = start;
      const seen = new Int32Array(this.seen.length * 2);
      seen.set(this.seen);
      this.seen = seen;
    }
    this.start[id + 1] = this.charCount;
    this.seen[id] = serial;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = id + 1;
    out.push(id);
    if ((id + 1) * 2 > mask + 1) this.rehash();
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      let slot = Math.imul(old[s]!, 0x9e3779b1) >>> 0;
      for (;;) {
        slot &= mask;
        if (slots[2 * slot + 1] === 0) break;
        slot++;
      }
      slots[2 * slot] = old[s]!;
      slots[2 * slot + 1] = old[s + 1]!;
    }
    this.slots = slots;
  }
}
