/**
 * The worker protocol, calling side. Both threads claim units from job.control[0] (Atomics.add); a unit's
 * state goes from pending to done (here), done by the worker, or failed (the worker threw: redone here).
 * A worker that cannot start, or dies, costs speed only: its unclaimed units are claimed here, and a unit
 * it claimed and failed is redone.
 */
import { Worker } from 'node:worker_threads';
import { UNIT_DONE, UNIT_DONE_BY_WORKER, UNIT_FAILED, type JoinJob } from './job.js';
import { runJoinJob } from './kernel/units.js';
import type { JoinRunStats, JoinThreads } from './types.js';

const WORKER_TIMEOUT_MS = 30 * 60 * 1000;

/** Runs the job on this thread and one worker; fills `stats`. */
export function runWithWorker(job: JoinJob, threads: JoinThreads & { workerUrl: URL }, headStartMs: number, stats: JoinRunStats): void {
  let worker: Worker | null;
  try {
    worker = new Worker(threads.workerUrl, { workerData: job, execArgv: threads.execArgv ?? [] });
    worker.unref();
    worker.on('error', () => {}); // a worker that fails leaves its units to this thread (below)
  } catch {
    worker = null;
    stats.workerFailed = true;
  }
  if (headStartMs > 0) Atomics.wait(job.control, 0, 0, headStartMs);
  const t0 = performance.now();
  runJoinJob(job, false, -1);
  const t1 = performance.now();
  const units = job.unitStart.length - 1;
  // Units the worker claimed: wait for them; redo the ones it failed.
  for (let u = 0; u < units; u++) {
    for (;;) {
      const state = Atomics.load(job.control, 1 + u);
      if (state === UNIT_DONE) break;
      if (state === UNIT_DONE_BY_WORKER) {
        stats.workerUnits++;
        break;
      }
      if (state === UNIT_FAILED) {
        stats.workerFailed = true;
        runJoinJob(job, false, u);
        break;
      }
      if (Atomics.wait(job.control, 1 + u, 0, WORKER_TIMEOUT_MS) === 'timed-out') {
        throw new Error('clustering: a worker thread stopped answering');
      }
    }
  }
  stats.ownMs = Math.round(t1 - t0);
  stats.waitMs = Math.round(performance.now() - t1);
  void worker?.terminate();
}
