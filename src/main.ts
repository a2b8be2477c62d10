/** Wires the action's inputs and the run's context to one operation per mode. The work itself lives in ops/. */
import * as core from '@actions/core';
import { captureTarget, readActionContext } from './action/context.js';
import { readActionInputs, type Mode } from './action/inputs.js';
import { actionPorts } from './adapters/actionPorts.js';
import { clusterThreads } from './adapters/clusterThreads.js';
import { errorMessage } from './core/errorMessage.js';
import { formatTimestamp } from './core/time.js';
import { createOctokit } from './github/octokit.js';
import { captureMode } from './ops/captureMode.js';
import { feedbackOperation } from './ops/feedback.js';
import type { Operation, Run } from './ops/run.js';
import { DRY_RUN_LINE, jobSummaryMarkdown, type SummaryEntry } from './ops/summary.js';
import { weeklyOperation } from './ops/weekly.js';
import type { Logger } from './ports/index.js';

/** One line per mode. */
const OPERATIONS: Record<Mode, Operation> = {
  capture: captureMode,
  distill: weeklyOperation({ digest: true, tiers: false }),
  'promote-tiers': weeklyOperation({ digest: false, tiers: true }),
  weekly: weeklyOperation({ digest: true, tiers: true }),
  feedback: feedbackOperation,
};

const log: Logger = { info: (m) => core.info(m), warning: (m) => core.warning(m), debug: (m) => core.debug(m) };

export async function run(nowMs: () => number = () => Date.now()): Promise<void> {
  const summary: SummaryEntry[] = [];
  let mode = 'mycelium';
  try {
    const inputs = readActionInputs((name) => core.getInput(name));
    mode = inputs.mode;
    const ctx = readActionContext(process.env);
    const token = inputs['github-token'];
    if (!token) throw new Error("input 'github-token' is empty: pass ${{ github.token }} or a token with the documented permissions");
    core.setSecret(token);
    // Octokit logs every non-2xx answer at error level, expected ones too (a 404 for a state file or label
    // that does not exist yet): plain log lines, not error annotations. Real failures reach core.setFailed.
    const octokit = createOctokit({
      token,
      baseUrl: ctx.apiUrl,
      log: { debug: core.debug, info: core.info, warn: core.warning, error: core.info },
      ...(ctx.octokitSpacingMs !== undefined ? { spacingMs: ctx.octokitSpacingMs } : {}),
    });
    const now = nowMs();
    if (inputs['dry-run']) summary.push(DRY_RUN_LINE);
    const r: Run = {
      inputs,
      captureTarget: () => captureTarget(ctx, inputs['pr-number']),
      repository: `${ctx.owner}/${ctx.repo}`,
      nowMicros: now * 1000,
      nowIso: formatTimestamp(now * 1000),
      distillThreads: clusterThreads(),
      ports: actionPorts(inputs, ctx, octokit, log, now),
      log,
      summary,
      setOutput: (name, value) => core.setOutput(name, value),
      error: (message) => core.error(message),
    };
    await OPERATIONS[inputs.mode](r);
  } catch (err) {
    summary.push(`Failed: ${errorMessage(err)}`);
    core.setFailed(errorMessage(err));
  }
  try {
    await core.summary.addHeading(`Mycelium ${mode}`).addRaw(jobSummaryMarkdown(summary), true).write();
  } catch (err) {
    // No summary file outside the runner (local runs): the log has it all already.
    core.debug(`job summary not written: ${errorMessage(err)}`);
  }
}
