/**
 * Timestamps as mycelium reads them: ISO 8601 in the forms Python's `datetime.fromisoformat` accepts
 * (date only, `T` or space separator, optional seconds and fraction, `Z` or a numeric offset, basic
 * format without separators). No zone means UTC. Values are epoch **microseconds**, so comparisons keep
 * the microsecond precision that stored timestamps carry (a Date would round it to milliseconds).
 */
export type EpochMicros = number;

const US_PER_DAY = 86_400_000_000;

const ISO_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})?(?::?(\d{2})(?:\.\d{1,6})?)?)?)?$/;
const ISO_BASIC =
  /^(\d{4})(\d{2})(\d{2})(?:[Tt](\d{2})(?:(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(\d{2})?)?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function parseTimestamp(text: string): EpochMicros | null {
  // No trimming: Python's fromisoformat refuses surrounding spaces, so mycelium counts such rows as unparseable.
  const m = ISO_EXTENDED.exec(text) ?? ISO_BASIC.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const micros = m[7] ? Number(m[7].padEnd(6, '0').slice(0, 6)) : 0;
  let offsetSeconds = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? 0);
    const os = Number(m[12] ?? 0); // Python accepts offsets with seconds, e.g. +05:30:15
    if (oh > 23 || om > 59 || os > 59) return null;
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60 + os);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return (date.getTime() - offsetSeconds * 1000) * 1000 + micros;
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
  const days = /^(\d+)d$/.exec(since.trim());
  if (days) return now - Number(days[1]) * US_PER_DAY;
  const t = parseTimestamp(since.trim());
  if (t === null) throw new Error(`since: '${since}' is neither <N>d (e.g. 90d) nor an ISO 8601 timestamp`);
  return t;
}

export function daysBetween(earlier: EpochMicros, later: EpochMicros): number {
  return (later - earlier) / US_PER_DAY;
}
