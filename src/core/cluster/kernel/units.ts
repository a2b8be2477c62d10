/**
 * Units of work (one lesson type each) and the loop that claims them. Both threads run this loop over one
 * shared job; a unit writes only its own items of the union-find.
 */
import { UNIT_DONE, UNIT_DONE_BY_WORKER, UNIT_FAILED, type JoinJob } from '../job.js';
import { joinGroup } from './groupJoin.js';
import { JoinScratch } from './scratch.js';

/** Unit u: the (type, prefix) groups at the lowered bar, then the whole type at the base bar. */
function processUnit(job: JoinJob, scratch: JoinScratch, u: number): void {
  const { unitItems, unitStart, prefixIds, base, low } = job;
  const from = unitStart[u]!;
  const to = unitStart[u + 1]!;
  const lowered = low < base;
  if (lowered) {
    // Stable bucketing by prefix keeps each group in (length, index) order.
    const count = new Map<number, number>();
    for (let i = from; i < to; i++) {
      const pfx = prefixIds[unitItems[i]!]!;
      if (pfx >= 0) count.set(pfx, (count.get(pfx) ?? 0) + 1);
    }
    const start = new Map<number, number>();
    let at = 0;
    for (const [pfx, c] of count) {
      start.set(pfx, at);
      at += c;
    }
    const grouped = new Int32Array(at);
    const fill = new Map(start);
    for (let i = from; i < to; i++) {
      const x = unitItems[i]!;
      const pfx = prefixIds[x]!;
      if (pfx < 0) continue;
      const pos = fill.get(pfx)!;
      grouped[pos] = x;
      fill.set(pfx, pos + 1);
    }
    for (const [pfx, c] of count) {
      joinGroup(job, scratch, grouped, start.get(pfx)!, start.get(pfx)! + c, low, false, job.frequentShare);
    }
  }
  joinGroup(job, scratch, unitItems, from, to, base, lowered, job.frequentShareType);
}

/**
 * Runs the job: `only` >= 0 runs that one unit; otherwise units are claimed until none is left. In a worker
 * a failing unit is marked failed, for the calling thread to redo.
 */
export function runJoinJob(job: JoinJob, inWorker: boolean, only: number): void {
  const scratch = new JoinScratch(job);
  if (only >= 0) {
    processUnit(job, scratch, only);
    return;
  }
  const { control } = job;
  const units = job.unitStart.length - 1;
  for (;;) {
    const u = Atomics.add(control, 0, 1);
    if (inWorker) Atomics.notify(control, 0);
    if (u >= units) break;
    if (!inWorker) {
      processUnit(job, scratch, u);
      Atomics.store(control, 1 + u, UNIT_DONE);
      continue;
    }
    let state = UNIT_DONE_BY_WORKER;
    try {
      processUnit(job, scratch, u);
    } catch {
      state = UNIT_FAILED;
    }
    Atomics.store(control, 1 + u, state);
    Atomics.notify(control, 1 + u);
  }
}
