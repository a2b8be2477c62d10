import { describe, expect, it } from '@jest/globals';
import { daysBetween, formatTimestamp, parseSince, parseTimestamp } from '../src/core/time.js';
import { NOW, US_PER_DAY } from './helpers/fixtures.js';

/** Epoch microseconds of a UTC wall-clock time, computed independently of the code under test. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + us;

describe('--since parsing (SPEC §8, fixed clock)', () => {
  it('90d is now minus 90 days', () => {
    expect(parseSince('90d', NOW)).toBe(NOW - 90 * US_PER_DAY);
    expect(parseSince('1d', NOW)).toBe(NOW - US_PER_DAY);
    expect(parseSince('0d', NOW)).toBe(NOW);
  });

  it('2026-01-01 is that date, UTC', () => {
    expect(parseSince('2026-01-01', NOW)).toBe(utc(2026, 1, 1));
    expect(new Date(parseSince('2026-01-01', NOW) / 1000).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a full ISO timestamp is taken as is', () => {
    expect(parseSince('2026-02-01T08:30:00+02:00', NOW)).toBe(utc(2026, 2, 1, 6, 30));
  });

  it('the day form is read trimmed and case-blind, a timestamp exactly as given (as mycelium)', () => {
    expect(parseSince('90D', NOW)).toBe(parseSince('90d', NOW));
    expect(parseSince(' 90d ', NOW)).toBe(parseSince('90d', NOW));
    expect(() => parseSince(' 2026-01-01', NOW)).toThrow(/since/);
  });

  it.each(['garbage', '', '90', 'd', '90 days', '-5d', '9.5d', '2026-13-01', 'yesterday'])(
    '%j is an error',
    (since) => {
      expect(() => parseSince(since, NOW)).toThrow(/since/);
    },
  );
});

describe('ISO 8601 timestamps in the forms mycelium stores', () => {
  it.each<[string, number]>([
    ['2026-01-02T03:04:05Z', utc(2026, 1, 2, 3, 4, 5)],
    ['2026-01-02T03:04:05+00:00', utc(2026, 1, 2, 3, 4, 5)],
    ['2026-01-02T03:04:05+05:30', utc(2026, 1, 1, 21, 34, 5)],
    ['2026-01-02T03:04:05-08:00', utc(2026, 1, 2, 11, 4, 5)],
    ['2026-01-02T03:04:05+0530', utc(2026, 1, 1, 21, 34, 5)],
    ['2026-01-02T03:04:05', utc(2026, 1, 2, 3, 4, 5)], // no zone = UTC
    ['2026-01-02 03:04:05', utc(2026, 1, 2, 3, 4, 5)], // space separator (sqlite datetime())
    ['2026-01-02T03:04', utc(2026, 1, 2, 3, 4)],
    ['2026-01-02T03:04:05.5Z', utc(2026, 1, 2, 3, 4, 5, 500_000)],
    ['2026-01-02T03:04:05.123Z', utc(2026, 1, 2, 3, 4, 5, 123_000)],
    ['2026-01-02T03:04:05.123456+00:00', utc(2026, 1, 2, 3, 4, 5, 123_456)], // Python isoformat()
    ['2026-01-02T03:04:05.123456', utc(2026, 1, 2, 3, 4, 5, 123_456)],
    ['2026-01-02 03:04:05.000001', utc(2026, 1, 2, 3, 4, 5, 1)],
    ['2026-01-02', utc(2026, 1, 2)], // date only
    ['20260102T030405Z', utc(2026, 1, 2, 3, 4, 5)], // basic format
    ['2024-02-29T00:00:00Z', utc(2024, 2, 29)], // leap day
    ['2026-01-02T03:04:05+05:30:15', utc(2026, 1, 1, 21, 33, 50)], // offset with seconds, as Python accepts
    ['2026-01-02T03', utc(2026, 1, 2, 3)], // hour only
    ['2026-01-02T03:04:05.1234567', utc(2026, 1, 2, 3, 4, 5, 123_456)], // beyond microseconds: truncated, as Python does
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });

  it.each([
    'not-a-timestamp',
    '',
    '2026-02-30',
    '2025-02-29',
    '2026-00-10',
    '2026-01-02T24:00:00',
    '2026-01-02T03:60:00',
    '2026-01-02T03:04:05+25:00',
    '02/01/2026',
    '2026-1-2',
    '1767312000',
    '2026-01-02T03:04:05z', // Python takes an upper-case Z only
  ])('%j does not parse', (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });

  it('keeps microsecond precision: one microsecond apart compares as different', () => {
    const a = parseTimestamp('2026-01-02T03:04:05.000001Z')!;
    const b = parseTimestamp('2026-01-02T03:04:05.000002Z')!;
    const base = parseTimestamp('2026-01-02T03:04:05Z')!;
    expect(b - a).toBe(1);
    expect(a > base).toBe(true);
    // A Date would have rounded both to the same millisecond.
    expect(new Date('2026-01-02T03:04:05.000001Z').getTime()).toBe(new Date('2026-01-02T03:04:05.000002Z').getTime());
  });

  it('the same instant written in different zones is equal', () => {
    expect(parseTimestamp('2026-01-02T03:04:05.250+05:30')).toBe(parseTimestamp('2026-01-01T21:34:05.25Z'));
    expect(parseTimestamp('2026-01-02 03:04:05')).toBe(parseTimestamp('2026-01-02T03:04:05+00:00'));
  });

  it('formats in UTC, keeping microseconds, and round-trips', () => {
    expect(formatTimestamp(utc(2026, 1, 1))).toBe('2026-01-01T00:00:00Z');
    expect(formatTimestamp(utc(2026, 1, 1, 0, 0, 0, 123_456))).toBe('2026-01-01T00:00:00.123456Z');
    expect(formatTimestamp(utc(2026, 1, 1, 0, 0, 0, 500_000))).toBe('2026-01-01T00:00:00.5Z');
    for (const t of [utc(1999, 12, 31, 23, 59, 59, 999_999), utc(2026, 3, 15, 12), utc(2030, 6, 1, 0, 0, 0, 1)]) {
      expect(parseTimestamp(formatTimestamp(t))).toBe(t);
    }
  });

  it('daysBetween counts fractional days', () => {
    expect(daysBetween(NOW - 90 * US_PER_DAY, NOW)).toBe(90);
    expect(daysBetween(NOW - US_PER_DAY / 2, NOW)).toBe(0.5);
  });
});

describe('surrounding whitespace', () => {
  it('a stored ts with spaces around it is unparseable, as for Python fromisoformat', () => {
    expect(parseTimestamp(' 2026-01-01T00:00:00')).toBeNull();
    expect(parseTimestamp('2026-01-01T00:00:00 ')).toBeNull();
  });
});
