/**
 * promote-tiers (docs/distill.md, "promote-tiers"): memory tiers move with use and age. Pure planning; the caller exports
 * archival lessons to their month's archive file first and only then applies the tier change.
 */
import type { Tier } from './lesson.js';
import { daysBetween, parseTimestamp, type EpochMicros } from './time.js';

export interface TierRow {
  id: string;
  ts: string;
  tier: string;
  access_count: number;
}

export interface TierChange {
  id: string;
  from: string;
  to: Tier;
  /** `YYYY-MM.md` for a move to archival: the archive file the lesson must be exported to first. */
  archiveFile: string | null;
}

export const HOT_ACCESS_COUNT = 3;
export const COLD_AFTER_DAYS = 90;
export const ARCHIVAL_AFTER_DAYS = 365;

/** The archive file of a lesson: the month of its `ts` (UTC), or of `now` when `ts` does not parse. */
export function archiveFileFor(ts: string, now: EpochMicros): string {
  const t = parseTimestamp(ts) ?? now;
  const d = new Date(Math.floor(t / 1000));
  return `${d.getUTCFullYear().toString().padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}.md`;
}

export function planTierChanges(rows: Iterable<TierRow>, now: EpochMicros): TierChange[] {
  const changes: TierChange[] = [];
  for (const row of rows) {
    if (row.tier === 'archival') continue;
    const t = parseTimestamp(row.ts);
    const ageDays = t === null ? 0 : daysBetween(t, now); // unparseable ts counts as age 0
    const used = row.access_count >= HOT_ACCESS_COUNT;
    if (row.tier === 'working' || row.tier === 'hot') {
      if (used) {
        if (row.tier !== 'hot') changes.push({ id: row.id, from: row.tier, to: 'hot', archiveFile: null });
      } else if (ageDays > COLD_AFTER_DAYS) {
        changes.push({ id: row.id, from: row.tier, to: 'cold', archiveFile: null });
      }
    } else if (row.tier === 'cold' && !used && ageDays > ARCHIVAL_AFTER_DAYS) {
      changes.push({ id: row.id, from: row.tier, to: 'archival', archiveFile: archiveFileFor(row.ts, now) });
    }
  }
  return changes;
}

export interface TierReport {
  promoted: number;
  demoted: number;
  archived: number;
  errors: string[];
}
