/**
 * The distill benchmark (SPEC §7): `npm run bench [-- --sizes 10000,100000,1000000] [--runs N]`.
 *
 * For each size it builds (once, cached in `.bench/`) a synthetic lesson database with the project's own
 * store, then runs distill on it in a fresh node process per run, so that peak RSS is that size's own.
 * Prints a table and writes `.bench/results.json`. With several runs the run with the median total is kept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildResult } from './distillChild.js';
import { SCHEMA_VERSION } from '../src/store/lessonsStore.js';
import { BENCH_NOW, BENCH_SEED, GENERATOR_VERSION, SPAN_DAYS } from './generate.js';

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
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/${script} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  const lines = r.stdout.trim().split('\n');
  return lines[lines.length - 1]!;
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
  size: number;
  dbMB: number;
  runs: number;
  verdict: string;
}

mkdirSync(CACHE, { recursive: true });
const rows: Row[] = [];
for (const size of sizes) {
  const path = dbPath(size);
  const results: ChildResult[] = [];
  for (let r = 0; r < runs; r++) {
    process.stderr.write(`distill ${size.toLocaleString('en')} lessons, run ${r + 1}/${runs} ...\n`);
    results.push(JSON.parse(node('distillChild.ts', ['--db', path, '--now', BENCH_NOW, '--since', SINCE])) as ChildResult);
  }
  results.sort((a, b) => a.ms.total - b.ms.total);
  const kept = results[(results.length - 1) >> 1]!;
  const target = TARGETS[size];
  let verdict = '';
  if (target) {
    const misses: string[] = [];
    if (kept.ms.total > target.totalMs) misses.push(`time ${(kept.ms.total / target.totalMs).toFixed(2)}x target`);
    if (target.rssMB !== undefined && kept.maxRssMB > target.rssMB) misses.push(`RSS ${(kept.maxRssMB / target.rssMB).toFixed(2)}x target`);
    verdict = misses.length ? `MISS (${misses.join(', ')})` : 'ok';
  }
  rows.push({ size, dbMB: statSync(path).size / 2 ** 20, runs, verdict, ...kept });
}

const fmtS = (ms: number): string => (ms / 1000).toFixed(2);
const header = ['lessons', 'db MB', 'open s', 'harvest+tok s', 'cluster s', 'score+report s', 'total s', 'peak RSS MB', 'scanned', 'clusters', 'candidates', 'largest', 'target'];
const table = rows.map((r) => [
  r.size.toLocaleString('en'),
  r.dbMB.toFixed(0),
  fmtS(r.ms.open),
  fmtS(r.ms.harvest),
  fmtS(r.ms.cluster),
  fmtS(r.ms.score),
  fmtS(r.ms.total),
  r.maxRssMB.toFixed(0),
  r.scanned.toLocaleString('en'),
  r.clusters.toLocaleString('en'),
  r.candidates.toLocaleString('en'),
  String(r.largestCandidate),
  r.verdict,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string => '| ' + cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
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
