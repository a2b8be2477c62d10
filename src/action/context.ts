/** The run's context, read from the runner's environment and event file, validated at the boundary. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { errorMessage } from '../core/errorMessage.js';
import { describeZodError } from '../core/zodError.js';

const EnvSchema = z.object({
  GITHUB_REPOSITORY: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/repo'),
  GITHUB_EVENT_NAME: z.string().min(1),
  GITHUB_EVENT_PATH: z.string().optional(),
  GITHUB_API_URL: z.string().default('https://api.github.com'),
  GITHUB_SERVER_URL: z.string().default('https://github.com'),
  GITHUB_RUN_ID: z.string().optional(),
  RUNNER_TEMP: z.string().optional(),
  // Test-only (see ActionContext.octokitSpacingMs): a whole number of milliseconds.
  MYCELIUM_TEST_THROTTLE_MS: z.string().regex(/^\d+$/, 'must be a whole number of milliseconds').optional(),
});

const PullEventSchema = z.looseObject({
  action: z.string(),
  pull_request: z.looseObject({
    number: z.number().int().positive(),
    merged: z.boolean().nullable().optional(),
    merged_at: z.string().nullable().optional(),
    head: z.looseObject({ repo: z.looseObject({ full_name: z.string() }).nullable().optional() }),
    base: z.looseObject({ repo: z.looseObject({ full_name: z.string() }) }),
  }),
});
export type PullEvent = z.infer<typeof PullEventSchema>;

export interface ActionContext {
  owner: string;
  repo: string;
  eventName: string;
  payload: unknown;
  apiUrl: string;
  serverUrl: string;
  runUrl: string | null;
  tempDir: string | null;
  /**
   * Octokit's request spacing (see github/octokit.ts `spacingMs`) from MYCELIUM_TEST_THROTTLE_MS, which only
   * the end-to-end tests set. Honoured only when the API is on this machine (the tests' GitHub double), so it
   * can never remove GitHub's spacing against a real GitHub; undefined otherwise (the defaults).
   */
  octokitSpacingMs?: number;
}

function isLoopbackUrl(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function readActionContext(env: NodeJS.ProcessEnv): ActionContext {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(describeZodError(parsed.error, 'runner environment'));
  const e = parsed.data;
  let payload: unknown = {};
  if (e.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(e.GITHUB_EVENT_PATH, 'utf8'));
    } catch (err) {
      throw new Error(`event payload ${e.GITHUB_EVENT_PATH} cannot be read: ${errorMessage(err)}`, { cause: err });
    }
  }
  const [owner, repo] = e.GITHUB_REPOSITORY.split('/') as [string, string];
  return {
    owner,
    repo,
    eventName: e.GITHUB_EVENT_NAME,
    payload,
    apiUrl: e.GITHUB_API_URL,
    serverUrl: e.GITHUB_SERVER_URL,
    runUrl: e.GITHUB_RUN_ID ? `${e.GITHUB_SERVER_URL}/${owner}/${repo}/actions/runs/${e.GITHUB_RUN_ID}` : null,
    tempDir: e.RUNNER_TEMP ?? null,
    ...(e.MYCELIUM_TEST_THROTTLE_MS !== undefined && isLoopbackUrl(e.GITHUB_API_URL)
      ? { octokitSpacingMs: Number(e.MYCELIUM_TEST_THROTTLE_MS) }
      : {}),
  };
}

export type CaptureTarget =
  | { kind: 'pr'; number: number; pull: Record<string, unknown> | undefined }
  | { kind: 'skip'; reason: string };

/**
 * What capture should do for this event: the merged PR of a `pull_request(_target)` `closed` event, or
 * the `pr-number` input (workflow_dispatch); a PR closed without merge is a logged no-op.
 */
export function captureTarget(ctx: ActionContext, prNumber: number | undefined): CaptureTarget {
  if (prNumber !== undefined) return { kind: 'pr', number: prNumber, pull: undefined };
  if (ctx.eventName !== 'pull_request' && ctx.eventName !== 'pull_request_target') {
    throw new Error(
      `mode capture runs on pull_request or pull_request_target 'closed' events (or with the pr-number input); this run's event is '${ctx.eventName}'`,
    );
  }
  const parsed = PullEventSchema.safeParse(ctx.payload);
  if (!parsed.success) throw new Error(describeZodError(parsed.error, `${ctx.eventName} event payload`));
  const event = parsed.data;
  const pr = event.pull_request;
  if (event.action !== 'closed') return { kind: 'skip', reason: `PR #${pr.number} was ${event.action}, not closed: nothing to capture` };
  if (!(pr.merged === true || (pr.merged_at ?? null) !== null)) {
    return { kind: 'skip', reason: `PR #${pr.number} was closed without merging: nothing to capture` };
  }
  const fromFork = pr.head.repo?.full_name !== pr.base.repo.full_name;
  if (ctx.eventName === 'pull_request' && fromFork) {
    // A fork's pull_request run has a read-only token and its artifacts are never trusted: the next
    // trusted run (a later merge, or the weekly distill) catches this PR up instead.
    return { kind: 'skip', reason: `PR #${pr.number} comes from a fork under 'pull_request': left for the next trusted run to catch up` };
  }
  return { kind: 'pr', number: pr.number, pull: pr };
}
