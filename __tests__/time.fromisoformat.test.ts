/**
 * (Values are compared as doubles: epoch microseconds before ~1685 or after ~2255 exceed 2^53, and there
 * both sides round to the nearest double.)
 *
 * The timestamp parser against Python itself: __tests__/fixtures/fromisoformat.json holds strings and what
 * Python's datetime.fromisoformat made of them (scripts/fromisoformat-cases.py wrote it). Mycelium keeps
 * or drops a lesson by that parse, so every acceptance, refusal and value must match.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHarvestTimestamp } from '../src/core/distill.js';
import { parseTimestamp } from '../src/core/time.js';

const fixture = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fromisoformat.json'), 'utf8')) as {
  python: string;
  cases: Array<[string, string | null]>;
};

/** Equal, or (past 2^53, where doubles are 32–64 µs apart) within one step of the double grid. */
function sameMicros(got: number, expected: string): boolean {
  const want = Number(expected);
  return got === want || (Math.abs(want) > 2 ** 53 && Math.abs(got - want) <= 64);
}

describe(`parseTimestamp agrees with Python ${fixture.python}'s datetime.fromisoformat`, () => {
  it(`on all ${fixture.cases.length} fixture strings`, () => {
    expect(fixture.cases.length).toBeGreaterThan(10_000);
    const disagreements = fixture.cases
      .map(([text, expected]) => ({ text, expected, got: parseTimestamp(text) }))
      .filter(({ expected, got }) => (expected === null ? got !== null : got === null || !sameMicros(got, expected)))
      .map(({ text, expected, got }) => `${JSON.stringify(text)}: python ${expected}, here ${got}`);
    expect(disagreements.slice(0, 20)).toEqual([]);
  });

  it('the harvest fast path agrees on them too', () => {
    const disagreements = fixture.cases.filter(([text]) => parseHarvestTimestamp(text) !== parseTimestamp(text)).map(([text]) => text);
    expect(disagreements.slice(0, 20)).toEqual([]);
  });

  it('holds the forms the review found missing', () => {
    const at = (s: string) => (parseTimestamp(s) === null ? null : new Date(parseTimestamp(s)! / 1000).toISOString());
    expect(at('2026-W01-1')).toBe('2025-12-29T00:00:00.000Z'); // ISO week date
    expect(at('2026W011')).toBe('2025-12-29T00:00:00.000Z');
    expect(at('2026-01-01X10:30')).toBe('2026-01-01T10:30:00.000Z'); // any one character separates
    expect(at('2026-01-01T10.5')).toBe('2026-01-01T10:00:00.500Z');
    expect(at('2026-01-01T10:30+05:60')).toBe('2026-01-01T04:30:00.000Z');
    expect(parseTimestamp('2026-01-01T10:30:15.1234567891')).toBe(parseTimestamp('2026-01-01T10:30:15.123456'));
    expect(parseTimestamp('2026-01-01T10:30:15z')).toBeNull(); // Python refuses a lowercase z
    expect(parseTimestamp('2026-01-01T24:00')).toBeNull();
  });
});
