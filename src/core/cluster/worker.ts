/**
 * Worker entry of the join (bundled as dist/cluster-worker/index.js): runs the shared job it is given until no
 * unit is left. The protocol is in threads.ts.
 */
import { workerData } from 'node:worker_threads';
import type { JoinJob } from './job.js';
import { runJoinJob } from './kernel/units.js';

runJoinJob(workerData as JoinJob, true, -1);
