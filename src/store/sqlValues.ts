/** SQLite values in JavaScript: SQLite's own ordering of them, and our values as SQLite stores them. */
import type { SqlValue } from 'sql.js';

const STORAGE_CLASS_RANK = (v: SqlValue): number =>
  v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3;

/**
 * SQLite's ordering of two values under the BINARY collation: NULL < numbers < text < blobs; text by its
 * UTF-8 bytes (code point order, which differs from JavaScript's UTF-16 order only above U+FFFF), blobs
 * by their bytes.
 */
export function compareSqlValues(a: SqlValue, b: SqlValue): number {
  const ra = STORAGE_CLASS_RANK(a);
  const rb = STORAGE_CLASS_RANK(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number) || 0;
  if (typeof a === 'string') return compareUtf8(a, b as string);
  if (a === null) return 0;
  const x = a;
  const y = b as Uint8Array;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate stands for a code point above U+FFFF, which UTF-8 orders after U+E000..U+FFFF.
      if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
      if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
      return x - y;
    }
  }
  return a.length - b.length;
}

export function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new Error(`a ${typeof v} cannot be stored in SQLite`);
}
