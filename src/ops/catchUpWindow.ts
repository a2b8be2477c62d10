/**
 * The catch-up policy of the Action: how far back a run looks for merged PRs the database lacks, and what a
 * failing catch-up does to the run (nothing: it is a safety net, the next run tries again).
 */
import { errorMessage } from '../core/errorMessage.js';
import type { OpenedDatabase } from '../ports/index.js';
import { recordCaptureFailures } from './captureFailures.js';
import { captureSettings } from './captureSettings.js';
import type { CatchUpResult } from './catchUp.js';
import type { Run } from './run.js';
import { describeCatchUp } from './summary.js';

const DAY_MS = 86_400_000;
/** A database that had to start empty recaptures this far back (artifact retention is at most 90 days). */
export const FRESH_CATCH_UP_DAYS = 90;

/**
 * Days to look back: the input, widened to {@link FRESH_CATCH_UP_DAYS} for a database that started empty.
 * `catch-up-days: 0` turns catch-up off, also on a first run: the user asked for no catch-up.
 */
export function catchUpDays(inputDays: number, fresh: boolean): number {
  if (inputDays === 0) return 0;
  return fresh ? Math.max(FRESH_CATCH_UP_DAYS, inputDays) : inputDays;
}

export async function catchUp(run: Run, db: OpenedDatabase): Promise<CatchUpResult | null> {
  const days = catchUpDays(run.inputs['catch-up-days'], db.fresh);
  if (days === 0) return null;
  if (db.fresh) run.log.warning(`starting from an empty database: recapturing PRs merged in the last ${days} days`);
  const since = new Date(Math.floor(run.nowMicros / 1000) - days * DAY_MS).toISOString();
  try {
    const result = await run.ports.catchUp(
      db.store,
      { since, now: run.nowIso, settings: captureSettings(run.inputs), maxPrs: run.inputs['catch-up-max-prs'] },
      run.log,
    );
    run.summary.push(describeCatchUp(result, since));
    // A PR that keeps failing is retried a bounded number of runs, never blocking the others.
    const givenUp = recordCaptureFailures(
      db.store,
      run.repository,
      { failed: result.failed, captured: result.captured.map((c) => c.prNumber) },
      run.nowIso,
      run.log,
    );
    for (const f of result.failed) run.summary.push(`  capture of #${f.pr} failed: ${f.error}`);
    for (const g of givenUp) run.summary.push(`  #${g.pr} given up after repeated failures (capture it with pr-number once fixed)`);
    return result;
  } catch (err) {
    // When it cannot list PRs this run still does its own work, and the next run catches up instead.
    run.log.warning(`catch-up skipped: ${errorMessage(err)}`);
    run.summary.push(`Catch-up skipped: ${errorMessage(err)}`);
    return null;
  }
}
