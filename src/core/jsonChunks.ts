/**
 * `JSON.stringify(value, null, 2)` in pieces, byte for byte the same text. A DigestReport of a million lessons
 * is a 200+ MB document: built as one string, then flattened and encoded for the write, it costs three times
 * that at the run's peak. In pieces, only one member at a time exists as text.
 */

const STEP = '  ';

/** Values JSON.stringify leaves out of an object (and writes as null in an array). */
function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Arrays and plain objects with members are split; anything else is stringified whole. */
function splittable(v: unknown): v is object {
  if (v === null || typeof v !== 'object') return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  return Array.isArray(v) ? v.length > 0 : Object.keys(v).some((k) => !skipped((v as Record<string, unknown>)[k]));
}

/** `value` at nesting `indent`, stringified whole: its inner lines indented like the document's. */
function whole(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // JSON escapes newlines inside strings, so every raw newline is a line break of the layout.
  return indent ? text.replace(/\n/g, `\n${indent}`) : text;
}

/** Items of an array stringified together: one native call per batch instead of one per item. */
const BATCH = 512;

/**
 * The pieces of `JSON.stringify(value, null, 2)`: arrays and objects down to `depth` levels are opened here,
 * what lies deeper is stringified whole, in batches (a report's member lessons, at the default).
 */
export function* jsonChunks(value: unknown, indent = '', depth = 5): Generator<string> {
  if (depth <= 0 || !splittable(value)) {
    yield whole(value, indent);
    return;
  }
  const inner = indent + STEP;
  if (Array.isArray(value)) {
    yield '[';
    const leaf = depth === 1;
    for (let i = 0; i < value.length; ) {
      const v: unknown = value[i];
      if (!leaf && splittable(v)) {
        yield `${i ? ',' : ''}\n${inner}`;
        yield* jsonChunks(v, inner, depth - 1);
        i++;
        continue;
      }
      let j = i + 1;
      while (j < value.length && j - i < BATCH && (leaf || !splittable(value[j]))) j++;
      // "[\n  A,\n  B\n]" without its brackets is the run of items at one level deeper than `indent`.
      const run = JSON.stringify(value.slice(i, j), null, 2).slice(4, -2);
      yield `${i ? ',' : ''}\n${inner}${indent ? run.replace(/\n/g, `\n${indent}`) : run}`;
      i = j;
    }
    yield `\n${indent}]`;
    return;
  }
  yield '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (skipped(v)) continue;
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonChunks(v, inner, depth - 1);
  }
  yield `\n${indent}}`;
}
