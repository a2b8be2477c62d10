/**
 * Timestamps as mycelium reads them: ISO 8601 in the forms Python's `datetime.fromisoformat` accepts
 * (date only, `T` or space separator, optional seconds and fraction, `Z` or a numeric offset, basic
 * format without separators). No zone means UTC. Values are epoch **microseconds**, so comparisons keep
 * the microsecond precision that stored timestamps carry (a Date would round it to milliseconds).
 */
export type EpochMicros = number;

const US_PER_DAY = 86_400_000_000;

// ---------------------------------------------------------------------------------------------
// Python's datetime.fromisoformat (3.11+, the C implementation), step by step over the string's UTF-8
// bytes, so every oddity it accepts or refuses is accepted or refused here too: any one character as the
// date/time separator, week dates, 1–n fraction digits (truncated to 6), `HH`, `HHMM`, `HH:MM:SS,ffffff`,
// offsets with seconds and fractions, minutes of 60 in an offset, but not a lowercase `z`.
// ---------------------------------------------------------------------------------------------

const NUL = 0;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Reads `n` ASCII digits at `at`; null unless all are digits. Reads past the end as NUL, as C's string does. */
function digits(b: Uint8Array, at: number, n: number): number | null {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = at + i < b.length ? b[at + i]! : NUL;
    if (!isDigit(c)) return null;
    v = v * 10 + (c - 48);
  }
  return v;
}

const at = (b: Uint8Array, i: number): number => (i < b.length ? b[i]! : NUL);

/** Where the date ends (the separator's index), from the shape of the first characters; -1 when invalid. */
function dateLength(b: Uint8Array): number {
  const len = b.length;
  if (len === 7) return 7;
  const DASH = 45;
  const W = 87;
  if (at(b, 4) === DASH) {
    if (at(b, 5) !== W) return 10; // YYYY-MM-DD
    if (len < 8) return -1;
    if (len > 8 && at(b, 8) === DASH) {
      if (len === 9) return -1;
      if (len > 10 && isDigit(at(b, 10))) return 8; // YYYY-Www-HH…: the separator is the dash
      return 10; // YYYY-Www-D
    }
    return 8; // YYYY-Www
  }
  if (at(b, 4) === W) {
    let idx = 7;
    while (idx < len && isDigit(b[idx]!)) idx++;
    if (idx < 9) return idx; // YYYYWww or YYYYWwwD
    return idx % 2 === 0 ? 7 : 8;
  }
  return 8; // YYYYMMDD
}

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// Proleptic Gregorian ordinals as CPython computes them (day 1 = 0001-01-01; C's truncating division).
function daysBeforeYear(year: number): number {
  const y = year - 1;
  return y * 365 + Math.trunc(y / 4) - Math.trunc(y / 100) + Math.trunc(y / 400);
}
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
function ordinal(year: number, month: number, day: number): number {
  return daysBeforeYear(year) + DAYS_BEFORE_MONTH[month]! + (month > 2 && isLeap(year) ? 1 : 0) + day;
}
/** Days since 1970-01-01 of a proleptic Gregorian date (ordinal 719163 is 1970-01-01). */
export function epochDays(year: number, month: number, day: number): number {
  return ordinal(year, month, day) - 719163;
}

function fromOrdinal(n: number): CivilDate {
  // Days since 1970-01-01 → civil (Howard Hinnant's civil_from_days); ordinal 719163 is 1970-01-01.
  const z = n - 719163 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isoWeekToDate(year: number, week: number, weekday: number): CivilDate | null {
  if (week <= 0 || week >= 53) {
    const firstWeekday = (ordinal(year, 1, 1) + 6) % 7;
    if (!(week === 53 && (firstWeekday === 3 || (firstWeekday === 2 && isLeap(year))))) return null;
  }
  if (weekday <= 0 || weekday >= 8) return null;
  const first = ordinal(year, 1, 1);
  const firstWeekday = (first + 6) % 7;
  let week1Monday = first - firstWeekday;
  if (firstWeekday > 3) week1Monday += 7;
  return fromOrdinal(week1Monday + (week - 1) * 7 + weekday - 1);
}

function parseDate(b: Uint8Array, len: number): CivilDate | null {
  const year = digits(b, 0, 4);
  if (year === null) return null;
  let p = 4;
  const dashed = at(b, p) === 45;
  if (dashed) p++;
  if (at(b, p) === 87) {
    p++;
    const week = digits(b, p, 2);
    if (week === null) return null;
    p += 2;
    let weekday = 1;
    if (p < len) {
      if (dashed && at(b, p++) !== 45) return null;
      const d = digits(b, p, 1);
      if (d === null) return null;
      weekday = d;
    }
    return isoWeekToDate(year, week, weekday);
  }
  const month = digits(b, p, 2);
  if (month === null) return null;
  p += 2;
  if (dashed && at(b, p++) !== 45) return null;
  const day = digits(b, p, 2);
  if (day === null) return null;
  return { year, month, day };
}

interface Clock {
  h: number;
  m: number;
  s: number;
  us: number;
}

/** `[HH[:?MM[:?SS[.,ffffff…]]]]` in b[from, end): the fields and 0 (the end), 1 (more follows) or -1 (invalid). */
function parseClock(b: Uint8Array, from: number, end: number): { clock: Clock; rv: number } {
  const v = [0, 0, 0];
  let p = from;
  let separated = true;
  for (let i = 0; i < 3; i++) {
    const d = digits(b, p, 2);
    if (d === null) return { clock: { h: 0, m: 0, s: 0, us: 0 }, rv: -1 };
    v[i] = d;
    p += 2;
    const c = at(b, p++);
    if (i === 0) separated = c === 58;
    if (p >= end) return { clock: { h: v[0]!, m: v[1]!, s: v[2]!, us: 0 }, rv: c !== NUL ? 1 : 0 };
    if (separated && c === 58) continue;
    if (c === 46 || c === 44) break;
    if (!separated) p--;
    else return { clock: { h: 0, m: 0, s: 0, us: 0 }, rv: -1 };
  }
  // A fraction is read here, after a `.`/`,` or (as CPython does) after three fields.
  const remains = end - p;
  const take = Math.min(remains, 6);
  const f = digits(b, p, take);
  if (f === null) return { clock: { h: 0, m: 0, s: 0, us: 0 }, rv: -1 };
  p += take;
  const us = take < 6 ? f * 10 ** (6 - take) : f;
  while (isDigit(at(b, p))) p++;
  return { clock: { h: v[0]!, m: v[1]!, s: v[2]!, us }, rv: at(b, p) !== NUL ? 1 : 0 };
}

/** The time after the separator: the clock and the UTC offset in µs (null: naive). Undefined when invalid. */
function parseTime(b: Uint8Array, from: number): { clock: Clock; offset: number | null } | undefined {
  const end = b.length;
  let zone = from;
  do {
    const c = at(b, zone);
    if (c === 90 || c === 43 || c === 45) break; // Z + -
  } while (++zone < end);
  const { clock, rv } = parseClock(b, from, zone);
  if (rv < 0) return undefined;
  if (zone >= end) return rv === 1 ? undefined : { clock, offset: null };
  if (at(b, zone) === 90) return zone + 1 === end ? { clock, offset: 0 } : undefined;
  const sign = at(b, zone) === 45 ? -1 : 1;
  const tz = parseClock(b, zone + 1, end);
  if (tz.rv !== 0) return undefined;
  const offset = sign * ((tz.clock.h * 3600 + tz.clock.m * 60 + tz.clock.s) * 1_000_000 + tz.clock.us);
  if (offset <= -US_PER_DAY || offset >= US_PER_DAY) return undefined; // timezone(): strictly within ±24 h
  return { clock, offset };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Python's datetime.fromisoformat: epoch µs (a naive value counts as UTC), or null where Python raises. */
export function parseTimestamp(text: string): EpochMicros | null {
  let s = text;
  const points = Array.from(s);
  if (points.length < 7) return null;
  if (LONE_SURROGATE.test(s)) {
    // CPython lets a surrogate stand as the separator (it becomes `T`); anywhere else it cannot encode.
    const pos = [7, 8, 10].find((i) => i < points.length && /^[\uD800-\uDFFF]$/.test(points[i]!));
    if (pos === undefined) return null;
    points[pos] = 'T';
    s = points.join('');
    if (LONE_SURROGATE.test(s)) return null;
  }
  const b = ENCODER.encode(s);
  const sep = dateLength(b);
  if (sep < 0) return null;
  const date = parseDate(b, sep);
  if (date === null) return null;
  let clock: Clock = { h: 0, m: 0, s: 0, us: 0 };
  let offset = 0;
  if (b.length > sep) {
    // The separator is any one character, also one that takes several UTF-8 bytes.
    let from = sep + 1;
    while (from < b.length && (b[from]! & 0xc0) === 0x80) from++;
    const t = parseTime(b, from);
    if (!t) return null;
    clock = t.clock;
    offset = t.offset ?? 0;
  }
  const { year, month, day } = date;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (clock.h > 23 || clock.m > 59 || clock.s > 59) return null;
  return (epochDays(year, month, day) * 86_400 + clock.h * 3600 + clock.m * 60 + clock.s) * 1_000_000 + clock.us - offset;
}

const ENCODER = new TextEncoder();

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** ISO 8601 in UTC with microseconds when they are not zero: `2026-01-01T00:00:00Z`. */
export function formatTimestamp(t: EpochMicros): string {
  const ms = Math.floor(t / 1000);
  const micros = t - ms * 1000;
  const base = new Date(ms).toISOString(); // 2026-01-01T00:00:00.000Z
  const frac = base.slice(20, 23) + String(micros).padStart(3, '0');
  const trimmed = frac.replace(/0+$/, '');
  return base.slice(0, 19) + (trimmed ? `.${trimmed}` : '') + 'Z';
}

export function parseRequiredTimestamp(text: string, what: string): EpochMicros {
  const t = parseTimestamp(text);
  if (t === null) throw new Error(`${what}: '${text}' is not an ISO 8601 timestamp`);
  return t;
}

/** `--since`: `<N>d` counts back from now; otherwise an ISO timestamp; anything else is an error. */
export function parseSince(since: string, now: EpochMicros): EpochMicros {
  // As mycelium: the day form is read trimmed and case-blind (`90D`), a timestamp exactly as given.
  const days = /^(\d+)d$/.exec(since.trim().toLowerCase());
  if (days) return now - Number(days[1]) * US_PER_DAY;
  const t = parseTimestamp(since);
  if (t === null) throw new Error(`since: '${since}' is neither <N>d (e.g. 90d) nor an ISO 8601 timestamp`);
  return t;
}

export function daysBetween(earlier: EpochMicros, later: EpochMicros): number {
  return (later - earlier) / US_PER_DAY;
}
