/**
 * Where the clustering's worker entry is and how many threads distill may use: decided here, at the edge,
 * and passed into core (which reads no environment and has no module state).
 *
 * In the bundle this module sits in dist/index.js (action) or dist/cli/index.js (CLI), and the worker entry
 * is dist/cluster-worker/index.js (scripts/bundle.mjs builds it). From source (tests, bench under tsx) it is
 * src/core/cluster/worker.ts, loaded through tsx's tsImport by a two-line bootstrap (on Node 20 a worker
 * does not apply `--import tsx` from execArgv to its own entry).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JoinThreads } from '../core/cluster/index.js';

const BUNDLED_WORKER = 'cluster-worker/index.js';

/** The worker entry next to this module (or one folder up, for dist/cli/), if any. */
function workerEntry(): Pick<JoinThreads, 'workerUrl' | 'execArgv'> {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { workerUrl: sourceWorker(here) };
  for (const candidate of [`./${BUNDLED_WORKER}`, `../${BUNDLED_WORKER}`]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return { workerUrl: url };
  }
  return {};
}

/** A data: module that loads the TypeScript worker entry through tsx (a dev dependency). */
function sourceWorker(here: string): URL {
  const tsxRoot = dirname(createRequire(here).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('../core/cluster/worker.ts', here).href;
  const source = `const { tsImport } = await import(${JSON.stringify(api)});\nawait tsImport(${JSON.stringify(entry)}, ${JSON.stringify(api)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/**
 * Threads for distill's join: `threads` when given, else MYCELIUM_DISTILL_THREADS when set (1 keeps the
 * join on the calling thread), else the machine's cores up to 2. Only large harvests use the second thread.
 */
export function clusterThreads(opts: { threads?: number; env?: NodeJS.ProcessEnv } = {}): JoinThreads {
  const fromEnv = Number((opts.env ?? process.env)['MYCELIUM_DISTILL_THREADS']);
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : 1;
  const wanted = opts.threads ?? (fromEnv > 0 ? fromEnv : Math.min(2, cores));
  return { threads: Math.max(1, Math.min(Math.floor(wanted), 2)), ...workerEntry() };
}
