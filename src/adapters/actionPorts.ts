/** The ports of one Action run, chosen by the inputs (storage: artifact or file) and wrapped for a dry run. */
import { dirname, join } from 'node:path';
import type { ActionContext } from '../action/context.js';
import type { ActionInputs } from '../action/inputs.js';
import { githubDigestPublisher } from '../github/digestPublisher.js';
import type { MyceliumOctokit } from '../github/octokit.js';
import { repoStateStores } from '../github/repoState.js';
import { catchUpMissingPrs } from '../ops/catchUp.js';
import type { Ports } from '../ops/run.js';
import type { Logger } from '../ports/index.js';
import { dryRunArchiveSink, dryRunDatabase, dryRunPublisher, dryRunReportArtifacts, dryRunWatermarkStore } from './dryRun.js';
import { feedbackPorts } from './feedbackPorts.js';
import { directoryArchiveSink, fileDatabase, fileWatermarkStore } from './files.js';
import { artifactDatabase, githubPullRequests, runReportArtifacts } from './github.js';

export function actionPorts(inputs: ActionInputs, ctx: ActionContext, octokit: MyceliumOctokit, log: Logger, nowMs: number): Ports {
  const { owner, repo } = ctx;
  const retention = inputs['retention-days'] !== undefined ? { retentionDays: inputs['retention-days'] } : {};
  const temp = ctx.tempDir ? { tempDir: ctx.tempDir } : {};
  const base = dirname(inputs['db-path']);
  const state =
    inputs.storage === 'file'
      ? { watermark: fileWatermarkStore(join(base, inputs['state-path'])), archive: directoryArchiveSink(join(base, 'archive')) }
      : repoStateStores(octokit, { owner, repo, branch: inputs['state-branch'], path: inputs['state-path'], log });
  const ports: Ports = {
    database:
      inputs.storage === 'file'
        ? fileDatabase(inputs['db-path'])
        : artifactDatabase(octokit, { owner, repo, name: inputs['artifact-name'], log, nowMs, ...retention, ...temp }),
    pulls: githubPullRequests(octokit, owner, repo),
    catchUp: (store, req, l) => catchUpMissingPrs(octokit, store, { owner, repo, ...req }, l),
    publisher: githubDigestPublisher(octokit, { owner, repo, labels: inputs.labels, log, serverUrl: ctx.serverUrl, conventionsFile: inputs['conventions-file'] }),
    watermark: state.watermark,
    archive: state.archive,
    reports: runReportArtifacts({ runUrl: ctx.runUrl, log, ...retention, ...temp }),
    feedback: feedbackPorts(inputs, ctx, octokit, log), // wraps itself for a dry run
  };
  if (!inputs['dry-run']) return ports;
  return {
    ...ports,
    database: dryRunDatabase(ports.database, log),
    publisher: dryRunPublisher(ports.publisher, log, { repository: `${owner}/${repo}`, serverUrl: ctx.serverUrl, conventionsFile: inputs['conventions-file'] }),
    watermark: dryRunWatermarkStore(ports.watermark, log),
    archive: dryRunArchiveSink(ports.archive, log),
    reports: dryRunReportArtifacts(ports.reports, log),
  };
}
