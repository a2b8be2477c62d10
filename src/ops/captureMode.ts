/** mode: capture — the merged PR of this event into the database, plus catch-up, then one save. */
import { captureBundle, type CaptureOutcome } from './capture.js';
import { captureSettings } from './captureSettings.js';
import { catchUp } from './catchUpWindow.js';
import { withDatabase, type Run } from './run.js';
import { describeCapture } from './summary.js';

export async function captureMode(run: Run): Promise<void> {
  const target = run.captureTarget();
  if (target.kind === 'skip') {
    run.log.info(target.reason);
    run.summary.push(target.reason);
    run.setOutput('lessons-captured', 0);
    run.setOutput('lessons-new', 0);
    return;
  }
  // Read the PR before touching the database: a failed read stores nothing and saves nothing.
  const { bundle, requests } = await run.ports.pulls.read(target.number, target.pull);
  run.log.info(`read ${run.repository}#${target.number} in ${requests} requests`);
  const { result } = await withDatabase(run, async (db) => {
    const captured = captureBundle(db.store, bundle, run.nowIso, captureSettings(run.inputs));
    const caught = await catchUp(run, db);
    return [captured, ...(caught?.captured ?? [])];
  });
  for (const o of result) run.summary.push(describeCapture(o));
  run.setOutput('lessons-captured', sum(result, (o) => o.lessons.length));
  run.setOutput('lessons-new', sum(result, (o) => o.inserted.length));
  run.setOutput('prs-captured', result.length);
}

function sum(outcomes: readonly CaptureOutcome[], count: (o: CaptureOutcome) => number): number {
  return outcomes.reduce((n, o) => n + count(o), 0);
}
