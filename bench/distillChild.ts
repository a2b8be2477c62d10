/**
 * One distill run over one database file, in a process of its own so that peak RSS belongs to this size.
 * Opens the file with the CLI's own adapter, runs the same `runDistill` the CLI and the Action run (no
 * watermark, a fixed clock, the database closed once harvested), writes the report with `--out`'s own writer
 * to a temporary file, and prints one JSON line of timings.
 *
 *   node --import tsx bench/distillChild.ts --db FILE --now ISO --since 365d
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { parseArgs } from 'node:util';
import { openDbFile, writeJsonFile } from '../src/adapters/files.js';
import { clusterThreads } from '../src/adapters/clusterThreads.js';
import type { JoinRunStats } from '../src/core/cluster/index.js';
import { isSimilarityName, type SimilarityName } from '../src/core/lessonTokens.js';
import type { DistillStage } from '../src/core/distill.js';
import { parseRequiredTimestamp } from '../src/core/time.js';
import { runDistill } from '../src/ops/distillRun.js';

export interface ChildResult {
  /** Milliseconds per stage; `total` is open → report serialized. */
  ms: { open: number; harvest: number; cluster: number; score: number; total: number };
  maxRssMB: number;
  /** RSS and V8 heap (MB) as each stage ended: where the memory goes. */
  memMB: Record<string, { rss: number; heap: number; external: number }>;
  scanned: number;
  droppedUnparseableTs: number;
  droppedInvalidRows: number;
  clusters: number;
  candidates: number;
  largestCandidate: number;
  reportBytes: number;
  /** Threads the join ran on, and how many of its units (lesson types) the worker thread took. */
  join: JoinRunStats | null;
  similarity: string;
}

const { values } = parseArgs({
  options: { db: { type: 'string' }, now: { type: 'string' }, since: { type: 'string' }, similarity: { type: 'string' } },
});
if (!values.db || !values.now) throw new Error('usage: distillChild.ts --db FILE --now ISO [--since 365d]');
const now = parseRequiredTimestamp(values.now, '--now');
const similarity: SimilarityName = isSimilarityName(values.similarity) ? values.similarity : 'review';
let join: JoinRunStats | null = null;

const stages: Partial<Record<DistillStage, number>> = {};
const memMB: ChildResult['memMB'] = {};
const snapshot = (label: string): void => {
  const m = process.memoryUsage();
  const mb = (v: number): number => Math.round(v / 2 ** 20);
  memMB[label] = { rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external + m.arrayBuffers) };
};
const t0 = performance.now();
const store = await openDbFile(values.db, { mustExist: true });
const t1 = performance.now();
snapshot('open');
const report = await runDistill(
  store,
  { now, since: values.since ?? '365d', similarity, threads: clusterThreads(), onJoin: (s) => (join = s), watermark: null, afterHarvest: () => store.close(), onStage: (stage, ms) => {
      stages[stage] = ms;
      snapshot(stage);
    },
  },
  { info: () => {}, warning: (m) => process.stderr.write(`warning: ${m}\n`) },
);
const t2 = performance.now();
const outDir = mkdtempSync(joinPath(tmpdir(), 'mycelium-bench-'));
const outFile = joinPath(outDir, 'report.json');
await writeJsonFile(outFile, report);
const t3 = performance.now();
const reportBytes = statSync(outFile).size;
rmSync(outDir, { recursive: true, force: true });

const result: ChildResult = {
  ms: {
    open: t1 - t0,
    harvest: stages.harvest ?? NaN,
    cluster: stages.cluster ?? NaN,
    // describe + score + report, and writing it out (what `--out` does)
    score: (stages.score ?? NaN) + (t3 - t2),
    total: t3 - t0,
  },
  maxRssMB: process.resourceUsage().maxRSS / 1024,
  memMB,
  scanned: report.total_lessons_scanned,
  droppedUnparseableTs: report.dropped_unparseable_ts,
  droppedInvalidRows: report.dropped_invalid_rows,
  clusters: report.cluster_count,
  candidates: report.candidate_count,
  largestCandidate: report.candidates.reduce((m, c) => Math.max(m, c.cluster.lesson_ids.length), 0),
  reportBytes,
  join,
  similarity: report.similarity ?? similarity,
};
process.stdout.write(JSON.stringify(result) + '\n');
