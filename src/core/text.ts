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
