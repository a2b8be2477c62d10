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
 * A token seen before costs no allocation: it is hashed and compared in place, in the lowercased text.
 */
export class TokenTable {
  private readonly strings: string[] = [];
  private hashes = new Int32Array(1024);
  private slots = new Int32Array(2048); // id + 1; 0 is empty
  private seen = new Int32Array(1024); // per id: the serial of the last text that produced it
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
    const lower = text.toLowerCase();
    const serial = ++this.serial;
    const n = lower.length;
    const before = out.length;
    let i = 0;
    while (i < n) {
      const c = lower.charCodeAt(i);
      if (isAsciiWordChar(c)) {
        let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
        let j = i + 1;
        for (; j < n; j++) {
          const d = lower.charCodeAt(j);
          if (!isAsciiWordChar(d)) break;
          h = Math.imul(h ^ d, FNV_PRIME);
        }
        if (j - i >= 2) this.add(lower, i, j, h, serial, out);
        i = j;
      } else if (c >= CJK_FIRST && c <= CJK_LAST) {
        let j = i + 1;
        while (j < n) {
          const d = lower.charCodeAt(j);
          if (d < CJK_FIRST || d > CJK_LAST) break;
          j++;
        }
        for (let k = i; k + 1 < j; k++) {
          const h = Math.imul(Math.imul(FNV_OFFSET ^ lower.charCodeAt(k), FNV_PRIME) ^ lower.charCodeAt(k + 1), FNV_PRIME);
          this.add(lower, k, k + 2, h, serial, out);
        }
        i = j;
      } else {
        i++;
      }
    }
    return out.length - before;
  }

  private add(s: string, from: number, to: number, h: number, serial: number, out: IntList): void {
    const len = to - from;
    const mask = this.slots.length - 1;
    let slot = Math.imul(h, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= mask;
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === h) {
        const t = this.strings[id]!;
        if (t.length === len) {
          let k = 0;
          while (k < len && t.charCodeAt(k) === s.charCodeAt(from + k)) k++;
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
    this.strings.push(s.slice(from, to));
    if (id === this.hashes.length) {
      const hashes = new Int32Array(id * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const seen = new Int32Array(id * 2);
      seen.set(this.seen);
      this.seen = seen;
    }
    this.hashes[id] = h;
    this.seen[id] = serial;
    this.slots[slot] = id + 1;
    out.push(id);
    if ((id + 1) * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = Math.imul(this.hashes[id]!, 0x9e3779b1) >>> 0;
      for (;;) {
        slot &= mask;
        if (slots[slot] === 0) break;
        slot++;
      }
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}
