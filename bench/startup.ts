/**
 * Start-up figures, whole process, median of `runs`: node itself, a distill of an empty database through
 * the bundled CLI (the floor a user pays on every run), and the bundled action's cold start — the time
 * from spawn until it sends its first GitHub request (inputs read, the mode's modules loaded), against a
 * local server on 127.0.0.1 that answers 401 so the run ends there.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface StartupFigures {
  nodeMs: number;
  emptyDistillMs: number;
  actionFirstRequestMs: number;
  actionExitMs: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

function timed(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${String(r.stderr).trim().slice(0, 300)}`);
  return ms;
}

async function actionColdStart(root: string, tempDir: string): Promise<{ firstRequest: number; exit: number }> {
  let firstAt = NaN;
  const server = createServer((req, res) => {
    if (Number.isNaN(firstAt)) firstAt = performance.now();
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials', status: '401' }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      INPUT_MODE: 'distill',
      'INPUT_GITHUB-TOKEN': 'bench-token',
      GITHUB_REPOSITORY: 'bench/cold-start',
      GITHUB_API_URL: api,
      GITHUB_SERVER_URL: api,
      GITHUB_GRAPHQL_URL: `${api}/graphql`,
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_RUN_ID: '1',
      GITHUB_WORKSPACE: tempDir,
      RUNNER_TEMP: tempDir,
    };
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], { env, stdio: 'ignore' });
    await new Promise<void>((ok) => child.on('exit', () => ok()));
    const exit = performance.now() - t0;
    if (Number.isNaN(firstAt)) throw new Error('the action exited without sending a request');
    return { firstRequest: firstAt - t0, exit };
  } finally {
    server.close();
  }
}

export async function startupFigures(root: string, emptyDb: string, tempDir: string, runs = 5): Promise<StartupFigures> {
  const nodeMs: number[] = [];
  const empty: number[] = [];
  const first: number[] = [];
  const exit: number[] = [];
  const cli = join(root, 'dist', 'cli', 'index.js');
  for (let i = 0; i < runs; i++) {
    nodeMs.push(timed(['-e', '0']));
    empty.push(timed([cli, 'distill', 'run', '--db', emptyDb, '--now', '2026-03-02T00:00:00Z', '--no-watermark', '--out', join(tempDir, 'empty-report.json')]));
    const c = await actionColdStart(root, tempDir);
    first.push(c.firstRequest);
    exit.push(c.exit);
  }
  return { nodeMs: median(nodeMs), emptyDistillMs: median(empty), actionFirstRequestMs: median(first), actionExitMs: median(exit) };
}
