/**
 * Backfill benchmark over the local GitHub double: `npm run bench:backfill [-- --prs 1000] [--batch 50]`.
 *
 * Seeds a busy repository's year (default 1,000 merged PRs, ~10 review comments each; every 100th with 30
 * threads, read alone), runs one backfill into an empty database and prints the REST requests and GraphQL
 * points it spent (as counted by the run and as charged by the double, which reads each query with GitHub's
 * published formula), the time it took here, and the time it would take against github.com: the client
 * spaces GraphQL calls ≥ 1 s apart (plugin-throttling), plus a round trip per request (assumed 0.5 s per
 * GraphQL batch, 0.2 s per REST page, the rest of this run's time being our own work).
 */
import { parseArgs } from 'node:util';
import { createOctokit } from '../src/github/octokit.js';
import { readPrBatch } from '../src/github/prBatch.js';
import { backfillMergedPrs, DEFAULT_BACKFILL_BUDGET, describeBackfill } from '../src/ops/backfill.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { seedBusyRepo } from '../__tests__/support/busyRepo.js';
import { graphqlQueryLimits, startGitHubDouble } from '../__tests__/support/githubDouble.js';

const { values } = parseArgs({ options: { prs: { type: 'string', default: '1000' }, batch: { type: 'string', default: '50' } } });
const prs = Number(values.prs);
const batchSize = Number(values.batch);

const double = await startGitHubDouble();
try {
  const busy = seedBusyRepo(double, { count: prs });
  const quiet = { info: () => {}, warning: () => {} };
  const octokit = createOctokit({ token: 'bench', baseUrl: double.url, spacingMs: 0 });
  const store = await LessonsStore.open(null, 'bench');
  const t0 = performance.now();
  const result = await backfillMergedPrs(
    octokit,
    store,
    { owner: 'acme', repo: 'busy', since: '2025-11-20T00:00:00Z', now: '2026-11-20T01:00:00Z', batchSize },
    quiet,
  );
  const runMs = performance.now() - t0;

  let charged = 0;
  let rest = 0;
  for (const r of double.requests) {
    if (r.graphql) charged += graphqlQueryLimits(r.graphql.query, r.graphql.variables, r.graphql.operationName).cost;
    else rest++;
  }

  // Reading alone (no capture): how much of the run is the double answering.
  const pulls = await Promise.all(
    busy.numbers.slice(0, batchSize).map(async (n) => ({ number: n, pull: (await octokit.rest.pulls.get({ owner: 'acme', repo: 'busy', pull_number: n })).data as unknown as Record<string, unknown> })),
  );
  const t1 = performance.now();
  await readPrBatch(octokit, { owner: 'acme', repo: 'busy', pulls });
  const oneBatchMs = performance.now() - t1;

  const u = result.usage;
  const simulatedS = u.graphqlQueries * (1 + 0.5) + u.restRequests * 0.2 + runMs / 1000;
  const rows: Array<[string, string]> = [
    ['merged PRs', String(result.merged)],
    ['captured', `${result.captured.length} (failed ${result.failed.length}, stopped by ${result.stoppedBy ?? 'nothing'})`],
    ['REST requests', `${u.restRequests} (double saw ${rest}; budget ${DEFAULT_BACKFILL_BUDGET.restRequests}, GITHUB_TOKEN 1,000/h)`],
    ['GraphQL points', `${u.graphqlPoints} (double charged ${charged}; budget ${DEFAULT_BACKFILL_BUDGET.graphqlPoints}, GITHUB_TOKEN 1,000/h)`],
    ['GraphQL queries', `${u.graphqlQueries} (${u.batches} batches of ≤ ${batchSize}, ${u.readAlone} PRs read alone)`],
    ['run time here', `${(runMs / 1000).toFixed(1)} s (one batch of ${batchSize} read alone: ${oneBatchMs.toFixed(0)} ms)`],
    ['simulated on github.com', `${simulatedS.toFixed(0)} s (limit ${DEFAULT_BACKFILL_BUDGET.timeMs / 60_000} min)`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`backfill of ${prs} merged PRs over the GitHub double`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  console.log(`  ${describeBackfill(result)}`);
  store.close();
} finally {
  await double.close();
}
