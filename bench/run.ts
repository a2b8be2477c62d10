/**
 * The benchmark: `npm run bench [-- --sizes 10000,100000,1000000] [--runs N] [--db FILE ...]
 * [--skip-startup] [--skip-backfill]`.
 *
 * Distill: for each size it builds (once, cached in `.bench/`) a synthetic lesson database with the project's
 * own generator, then runs distill on it in a fresh node process per run, so that peak RSS is that size's own.
 * `--db FILE` (repeatable) adds databases made elsewhere in mycelium's schema, e.g. by a generator of
 * review-like text (`gen_lessons.py N OUT.sqlite`): each is migrated once into `.bench/`, then distilled
 * with both similarities. With several runs the run with the median total is kept.
 * Start-up: the whole-process time of a distill on an empty database through the bundled CLI, of the
 * bundled action up to its first input error, and of node itself (median of 5).
 * Backfill: bench/backfill.ts (1,000 merged PRs over the GitHub double: requests, points, simulated time).
 * Prints the tables and writes `.bench/results.json`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './distillChild.js';
import { SCHEMA_VERSION } from '../src/store/lessonsStore.js';
import { BENCH_NOW, BENCH_SEED, GENERATOR_VERSION, SPAN_DAYS } from './generate.js';
import { startupFigures } from './startup.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.bench');
const SINCE = `${SPAN_DAYS + 30}d`; // wide enough to take in every generated lesson

/** SPEC §7's targets on a 2-core machine. */
const TARGETS: Record<number, { totalMs: number; rssMB?: number }> = {
  100_000: { totalMs: 2_000 },
  1_000_000: { totalMs: 30_000, rssMB: 1_536 },
};

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    runs: { type: 'string', default: '1' },
    db: { type: 'string', multiple: true, default: [] },
    'skip-startup': { type: 'boolean', default: false },
    'skip-backfill': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes
  .split(',')
  .map((s) => s.trim().replace(/_/g, ''))
  .filter(Boolean)
  .map((s) => {
    const n = /^(\d+)(k|m)?$/i.exec(s);
    if (!n) throw new Error(`--sizes: '${s}' is not a size (e.g. 10000, 100k, 1m)`);
    return Number(n[1]) * (n[2]?.toLowerCase() === 'k' ? 1e3 : n[2]?.toLowerCase() === 'm' ? 1e6 : 1);
  });
const runs = Math.max(1, Number(values.runs) || 1);

function node(script: string, args: string[]): string {
  return lastLine(nodeOutput(script, args));
}

function nodeOutput(script: string, args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/${script} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

const lastLine = (out: string): string => out.trim().split('\n').pop()!;

/** A database made elsewhere, migrated once into the cache (keyed by its path, size and mtime). */
function preparedDb(file: string): string {
  const st = statSync(file);
  const tag = createHash('sha256').update(`${resolve(file)}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 10);
  const path = join(CACHE, `ext-${basename(file).replace(/[^\w.-]+/g, '_')}-${tag}-v${SCHEMA_VERSION}.db`);
  if (!existsSync(path)) {
    process.stderr.write(`migrating ${file} into ${path} ...\n`);
    node('prepareDb.ts', ['--in', file, '--out', path]);
  }
  return path;
}

function dbPath(size: number): string {
  // The store's schema version is in the name: a database opened by a newer schema would be migrated (and
  // grown) on every run, which is not what a steady-state distill does.
  const path = join(CACHE, `lessons-g${GENERATOR_VERSION}-v${SCHEMA_VERSION}-s${BENCH_SEED}-${size}.db`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${size.toLocaleString('en')} lessons into ${path} ...\n`);
    const out = JSON.parse(node('generate.ts', ['--size', String(size), '--out', path])) as { seconds: number };
    process.stderr.write(`  done in ${out.seconds.toFixed(1)} s\n`);
  }
  return path;
}

interface Row extends ChildResult {
  data: string;
  size: number;
  dbMB: number;
  runs: number;
  /** The same distill as one whole process of the bundled CLI (`node dist/cli/index.js distill run`), start-up included. */
  cliMs: number;
  verdict: string;
}

interface Job {
  data: string;
  path: string;
  similarity: 'review' | 'seed';
  /** The target row for this size (SPEC §7); generated sizes only, external ones by their count. */
  sizeHint: number | null;
}

mkdirSync(CACHE, { recursive: true });
const jobs: Job[] = sizes.map((size) => ({ data: 'bench generator', path: dbPath(size), similarity: 'review', sizeHint: size }));
for (const file of values.db) {
  const path = preparedDb(file);
  for (const similarity of ['review', 'seed'] as const) jobs.push({ data: basename(file), path, similarity, sizeHint: null });
}
const rows: Row[] = [];
for (const job of jobs) {
  const since = job.sizeHint ? SINCE : '36500d';
  const results: (ChildResult & { cliMs: number })[] = [];
  for (let r = 0; r < runs; r++) {
    process.stderr.write(`distill ${job.data} (${job.similarity}), run ${r + 1}/${runs} ...\n`);
    const out = node('distillChild.ts', ['--db', job.path, '--now', BENCH_NOW, '--since', since, '--similarity', job.similarity]);
    const cliMs = cliDistillMs(job.path, since, job.similarity);
    results.push({ ...(JSON.parse(out) as ChildResult), cliMs });
  }
  results.sort((a, b) => a.ms.total - b.ms.total);
  const kept = results[(results.length - 1) >> 1]!;
  const size = job.sizeHint ?? kept.scanned;
  const target = TARGETS[nearestTargetSize(size)];
  let verdict = '';
  if (target) {
    const misses: string[] = [];
    if (kept.cliMs > target.totalMs) misses.push(`time ${(kept.cliMs / target.totalMs).toFixed(2)}x target`);
    if (target.rssMB !== undefined && kept.maxRssMB > target.rssMB) misses.push(`RSS ${(kept.maxRssMB / target.rssMB).toFixed(2)}x target`);
    verdict = misses.length ? `MISS (${misses.join(', ')})` : 'ok';
  }
  rows.push({ data: job.data, size, dbMB: statSync(job.path).size / 2 ** 20, runs, verdict, ...kept });
}

/** Wall time of one whole-process distill through the bundled CLI (what a user or the action pays). */
function cliDistillMs(db: string, since: string, similarity: string): number {
  const out = join(CACHE, 'cli-report.json');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'index.js'), 'distill', 'run', '--db', db, '--now', BENCH_NOW, '--since', since, '--similarity', similarity, '--no-watermark', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`dist/cli distill run --db ${db} failed (exit ${r.status ?? r.signal}); run npm run bundle first`);
  return ms;
}

/** Sizes within 10 % of a target size are held to it (an external database of 99,000 rows is "100k"). */
function nearestTargetSize(n: number): number {
  return Number(Object.keys(TARGETS).find((t) => Math.abs(Number(t) - n) <= Number(t) / 10) ?? -1);
}

const fmtS = (ms: number): string => (ms / 1000).toFixed(2);
const header = ['data', 'similarity', 'lessons', 'db MB', 'open s', 'harvest+tok s', 'cluster s', 'score+report s', 'total s', 'CLI process s', 'peak RSS MB', 'scanned', 'clusters', 'candidates', 'largest', 'target'];
const table = rows.map((r) => [
  r.data,
  r.similarity,
  r.size.toLocaleString('en'),
  r.dbMB.toFixed(0),
  fmtS(r.ms.open),
  fmtS(r.ms.harvest),
  fmtS(r.ms.cluster),
  fmtS(r.ms.score),
  fmtS(r.ms.total),
  fmtS(r.cliMs),
  r.maxRssMB.toFixed(0),
  r.scanned.toLocaleString('en'),
  r.clusters.toLocaleString('en'),
  r.candidates.toLocaleString('en'),
  String(r.largestCandidate),
  r.verdict,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string => '| ' + cells.map((c, i) => (i <= 1 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of table) console.log(line(row));

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  totalMemMB: Math.round(os.totalmem() / 2 ** 20),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
};
const resultsPath = join(CACHE, 'results.json');
writeFileSync(
  resultsPath,
  JSON.stringify({ generatedAt: new Date().toISOString(), machine, generator: { version: GENERATOR_VERSION, seed: BENCH_SEED, now: BENCH_NOW, since: SINCE }, results: rows }, null, 2) + '\n',
);
console.log(`\n${machine.cpus} × ${machine.cpuModel}, node ${machine.node}; results in ${resultsPath}`);

// Start-up and backfill: the other rows of the speed table.
const extra: Record<string, unknown> = {};
if (!values['skip-startup']) {
  const emptyDb = join(CACHE, `empty-v${SCHEMA_VERSION}.db`);
  if (!existsSync(emptyDb)) node('prepareDb.ts', ['--empty', '--out', emptyDb]);
  const s = await startupFigures(ROOT, emptyDb, CACHE);
  extra.startup = s;
  const verdict = (ms: number): string => (ms <= 300 ? 'ok' : `MISS (${(ms / 300).toFixed(2)}x target)`);
  console.log('\n| start-up (whole process, median of 5)                  | ms   | target ≤ 300 ms |');
  console.log('|---------------------------------------------------------|------|-----------------|');
  console.log(`| node -e 0                                               | ${s.nodeMs.toFixed(0).padStart(4)} |                 |`);
  console.log(`| distill, empty database (node dist/cli/index.js)        | ${s.emptyDistillMs.toFixed(0).padStart(4)} | ${verdict(s.emptyDistillMs).padEnd(15)} |`);
  console.log(`| action cold start: spawn -> first GitHub request        | ${s.actionFirstRequestMs.toFixed(0).padStart(4)} | ${verdict(s.actionFirstRequestMs).padEnd(15)} |`);
  console.log(`| action: spawn -> exit after a 401                       | ${s.actionExitMs.toFixed(0).padStart(4)} |                 |`);
}
if (!values['skip-backfill']) {
  console.log('');
  const out = nodeOutput('backfill.ts', []);
  process.stdout.write(out);
  extra.backfill = out.trim().split('\n');
}
if (Object.keys(extra).length) {
  const saved = JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(resultsPath, JSON.stringify({ ...saved, ...extra }, null, 2) + '\n');
}
