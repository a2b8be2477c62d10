/**
 * Runs the bundled action (`node dist/index.js`) as the runner does: a child process with `INPUT_*`
 * variables, the run's `GITHUB_*` variables, an event file, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY`
 * files and `RUNNER_TEMP`; the results service's `ACTIONS_RUNTIME_TOKEN` / `ACTIONS_RESULTS_URL`.
 *
 * The runner turns an input name into `INPUT_<NAME>`: upper-cased, spaces to `_`, dashes kept
 * (`github-token` → `INPUT_GITHUB-TOKEN`), as @actions/core's getInput reads it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from './githubDouble.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ACTION_ENTRY = join(ROOT, 'dist', 'index.js');

/** The runner's name for an input's variable. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ActionProcessOptions {
  inputs: Record<string, string>;
  /** GITHUB_* and ACTIONS_* variables (the caller decides what the run sees). */
  env: Record<string, string>;
  /** The event payload, written to GITHUB_EVENT_PATH when given. */
  event?: Json;
  /** Kill the process after this long (a hung run must not hang the suite). */
  timeoutMs?: number;
  /** Called when the process has exited (before the result is read). */
  onExit?: () => void;
}

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What the action set with core.setOutput, read back from GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** The job summary file's content. */
  summary: string;
  /** `::error::` / `::warning::` workflow commands on stdout, their messages (unescaped). */
  errors: string[];
  warnings: string[];
  /** RUNNER_TEMP of the run (removed by {@link cleanupActionDirs}). */
  tempDir: string;
}

const dirs: string[] = [];
const running = new Set<ChildProcess>();

/** Kills any run still going (a test that gave up on it) and removes every directory the runs made. */
export function cleanupActionProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A process environment without the test runner's own Node flags and without any runner variables. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k) || k === 'NODE_OPTIONS' || k === 'NODE_PATH' || k.startsWith('JEST_')) continue;
    env[k] = v;
  }
  return env;
}

/** `name<<DELIM\nvalue\nDELIM\n` entries of a GITHUB_OUTPUT file (what @actions/core writes). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!] = m[3]!;
  return out;
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function commandMessages(stdout: string, command: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${command}`))
    .map((l) => unescapeCommand(l.slice(l.indexOf('::', 2) + 2)));
}

export async function runActionProcess(opts: ActionProcessOptions): Promise<ActionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mycelium-e2e-run-'));
  dirs.push(dir);
  const temp = join(dir, 'temp');
  const workspace = join(dir, 'workspace');
  mkdirSync(temp);
  mkdirSync(workspace);
  const outputFile = join(dir, 'output.txt');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    // No Octokit request spacing against the double (src/action/context.ts honours it only for a loopback API).
    MYCELIUM_TEST_THROTTLE_MS: '0',
    ...opts.env,
  };
  if (opts.event) {
    const eventPath = join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(opts.event, null, 2));
    env.GITHUB_EVENT_PATH = eventPath;
  }
  for (const [name, value] of Object.entries(opts.inputs)) env[inputVariable(name)] = value;

  const child = spawn(process.execPath, [ACTION_ENTRY], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => void (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => void (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  }).finally(() => {
    clearTimeout(timer);
    running.delete(child);
  });
  opts.onExit?.();
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    errors: commandMessages(stdout, 'error'),
    warnings: commandMessages(stdout, 'warning'),
    tempDir: temp,
  };
}

// ---------------------------------------------------------------------------------------------
// Event payloads
// ---------------------------------------------------------------------------------------------

let closedExample: Json | undefined;

/** GitHub's own `pull_request` `closed` webhook example (@octokit/webhooks-examples): closed, not merged. */
export function pullRequestClosedExample(): Json {
  if (!closedExample) {
    const file = createRequire(import.meta.url).resolve('@octokit/webhooks-examples');
    const all = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; examples: Json[] }>;
    const found = all.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'closed');
    if (!found) throw new Error('no pull_request.closed example in @octokit/webhooks-examples');
    closedExample = found;
  }
  return structuredClone(closedExample);
}

function rewrite(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => rewrite(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, from, to)]));
  return value;
}

/**
 * The `pull_request.closed` example adapted to a PR of the double: its repository (URLs, ids, the
 * `repository`, `base.repo` and `head.repo` objects) and the PR's own fields (number, ids, title, user,
 * labels, merge state) taken from `pull` — the REST pull object the double serves, so the event and
 * the API agree as they do on GitHub. `merged: false` keeps the example's "closed without merging".
 */
export function pullRequestClosedEvent(opts: { repo: Json; pull: Json; merged: boolean; headRepo?: Json }): Json {
  const full = String(opts.repo.full_name);
  const event = rewrite(pullRequestClosedExample(), 'Codertocat/Hello-World', full) as Json;
  const pr = event.pull_request as Json;
  const n = Number(opts.pull.number);
  const p = rewrite(rewrite(rewrite(pr, '/pull/2', `/pull/${n}`), '/pulls/2', `/pulls/${n}`), '/issues/2', `/issues/${n}`) as Json;
  Object.assign(p, {
    id: opts.pull.id,
    node_id: opts.pull.node_id,
    number: n,
    title: opts.pull.title,
    body: opts.pull.body,
    user: opts.pull.user,
    labels: opts.pull.labels,
    state: 'closed',
    closed_at: opts.pull.closed_at,
    updated_at: opts.pull.updated_at,
    merged: opts.merged,
    merged_at: opts.merged ? opts.pull.merged_at : null,
    merge_commit_sha: opts.merged ? opts.pull.merge_commit_sha : p.merge_commit_sha,
    merged_by: opts.merged ? (opts.pull.merged_by ?? opts.pull.user) : null,
  });
  p.base = { ...p.base, repo: opts.repo };
  p.head = { ...p.head, repo: opts.headRepo ?? opts.repo };
  event.pull_request = p;
  event.number = n;
  event.repository = opts.repo;
  return event;
}
