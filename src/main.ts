/** Wires the action's inputs and the run's context to a mode. The work itself lives in ops/. */
import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { captureTarget, readActionContext, type ActionContext } from './action/context.js';
import { readActionInputs, type ActionInputs } from './action/inputs.js';
import { directoryArchiveSink, fileWatermarkStore, openDbFile, saveDbFile } from './adapters/files.js';
import { defaultTrustPolicy } from './capture/actors.js';
import { parsePrBundle } from './capture/bundle.js';
import { formatTimestamp } from './core/time.js';
import { actionsArtifactUploader, assertArtifactServiceEnv } from './github/artifactClient.js';
import { DEFAULT_REFRESH_AFTER_DAYS, syncDbArtifact, uploadReportArtifact } from './github/artifactStore.js';
import type { DigestReport } from './core/distill.js';
import { publishDigest } from './github/digestPublisher.js';
import { createOctokit, type MyceliumOctokit } from './github/octokit.js';
import { readPrBundle } from './github/readPullRequest.js';
import { dryRunArchiveSink, dryRunWatermarkStore, repoStateStores } from './github/repoState.js';
import { captureBundle, type CaptureOutcome, type CaptureSettings } from './ops/capture.js';
import { catchUpMissingPrs, type CatchUpResult } from './ops/catchUp.js';
import type { ArchiveSink, Logger, WatermarkStore } from './ops/ports.js';
import { promoteTiers } from './ops/promoteTiers.js';
import { runWeeklyDigest } from './ops/weeklyDigest.js';
import type { LessonsStore } from './store/lessonsStore.js';

const DAY_MS = 86_400_000;
const SUMMARY_MAX_CHARS = 300_000;
/** A database that had to start empty recaptures this far back (artifact retention is at most 90 days). */
const FRESH_CATCH_UP_DAYS = 90;

const log: Logger = { info: (m) => core.info(m), warning: (m) => core.warning(m) };

interface Run {
  inputs: ActionInputs;
  ctx: ActionContext;
  octokit: MyceliumOctokit;
  nowMicros: number;
  nowIso: string;
  summary: string[];
}

function captureSettings(inputs: ActionInputs): CaptureSettings {
  return {
    maxLessons: inputs['max-lessons'],
    noLessonsLabel: inputs['no-lessons-label'],
    policy: defaultTrustPolicy({
      includeContributors: inputs['trust-contributors'],
      allowLogins: inputs['allow-users'],
      denyLogins: inputs['deny-users'],
      aiReviewers: inputs['ai-reviewers'],
      bots: inputs['bots'],
      agentLogins: inputs['agent-logins'],
    }),
  };
}

/** Loads the database (artifact or file), runs `work`, and saves it back unless this is a dry run. */
async function withDatabase<T>(run: Run, work: (store: LessonsStore, fresh: boolean) => Promise<T>): Promise<T> {
  const { inputs, ctx, octokit } = run;
  if (inputs.storage === 'file') {
    const store = await openDbFile(inputs['db-path']);
    try {
      const result = await work(store, store.count() === 0);
      if (!inputs['dry-run']) await saveDbFile(store, inputs['db-path']);
      return result;
    } finally {
      store.close();
    }
  }
  const synced = await syncDbArtifact(
    octokit,
    {
      owner: ctx.owner,
      repo: ctx.repo,
      name: inputs['artifact-name'],
      log,
      uploader: actionsArtifactUploader(),
      dryRun: inputs['dry-run'],
      now: Math.floor(run.nowMicros / 1000),
      // An unchanged copy is uploaded again well before it could expire.
      refreshAfterDays: Math.min(DEFAULT_REFRESH_AFTER_DAYS, (inputs['retention-days'] ?? 90) / 2),
      ...(inputs['retention-days'] !== undefined ? { retentionDays: inputs['retention-days'] } : {}),
      ...(ctx.tempDir ? { tempDir: ctx.tempDir } : {}),
    },
    (store, loaded) => work(store, loaded.fresh),
  );
  run.summary.push(
    synced.loaded.artifact ? `Database: artifact ${synced.loaded.artifact.id}` : 'Database: none usable, started empty',
    synced.uploaded
      ? `Uploaded artifact ${synced.uploaded.id} (${synced.uploaded.size} bytes)`
      : synced.notUploaded === 'unchanged'
        ? 'Nothing uploaded: the database did not change'
        : 'Nothing uploaded (dry run)',
  );
  return synced.result;
}

function stateStores(run: Run): { watermark: WatermarkStore; archive: ArchiveSink } {
  const { inputs, ctx, octokit } = run;
  if (inputs.storage === 'file') {
    const base = dirname(inputs['db-path']);
    const watermark = fileWatermarkStore(join(base, inputs['state-path']));
    const archive = directoryArchiveSink(join(base, 'archive'));
    if (!inputs['dry-run']) return { watermark, archive };
    return { watermark: dryRunWatermarkStore(watermark, log), archive: dryRunArchiveSink(archive, log) };
  }
  return repoStateStores(octokit, {
    owner: ctx.owner,
    repo: ctx.repo,
    branch: inputs['state-branch'],
    path: inputs['state-path'],
    log,
    dryRun: inputs['dry-run'],
  });
}

async function catchUp(run: Run, store: LessonsStore, fresh: boolean): Promise<CatchUpResult | null> {
  const days = fresh ? Math.max(FRESH_CATCH_UP_DAYS, run.inputs['catch-up-days']) : run.inputs['catch-up-days'];
  if (days === 0) return null;
  if (fresh) log.warning(`starting from an empty database: recapturing PRs merged in the last ${days} days`);
  const since = new Date(Math.floor(run.nowMicros / 1000) - days * DAY_MS).toISOString();
  let result: CatchUpResult;
  try {
    result = await catchUpMissingPrs(
      run.octokit,
      store,
      {
        owner: run.ctx.owner,
        repo: run.ctx.repo,
        since,
        now: run.nowIso,
        settings: captureSettings(run.inputs),
        maxPrs: run.inputs['catch-up-max-prs'],
      },
      log,
    );
  } catch (err) {
    // Catch-up is a safety net: when it cannot list PRs this run still does its own work, and the
    // next run catches up instead.
    log.warning(`catch-up skipped: ${(err as Error).message}`);
    run.summary.push(`Catch-up skipped: ${(err as Error).message}`);
    return null;
  }
  run.summary.push(
    `Catch-up: ${result.merged} PRs merged since ${since.slice(0, 10)}, ${result.captured.length} captured now` +
      (result.failed.length ? `, ${result.failed.length} failed (retried next run)` : '') +
      (result.leftOut ? `, ${result.leftOut} older ones left out (catch-up-max-prs)` : ''),
  );
  return result;
}

function describeCapture(o: CaptureOutcome): string {
  const reasons = new Map<string, number>();
  for (const s of o.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  if (!o.merged) return `${o.project}#${o.prNumber}: not merged, nothing captured`;
  return [
    `${o.project}#${o.prNumber}: ${o.lessons.length} lessons (${o.inserted.length} new), ${o.skipped.length} comments skipped`,
    ...o.lessons.map((l) => `  - ${l.lesson.key} [${l.lesson.source}, confidence ${l.lesson.confidence}]: ${l.lesson.insight}`),
    ...top.map(([reason, n]) => `  skipped ${n}×: ${reason}`),
  ].join('\n');
}

async function captureMode(run: Run): Promise<void> {
  const target = captureTarget(run.ctx, run.inputs['pr-number']);
  if (target.kind === 'skip') {
    core.info(target.reason);
    run.summary.push(target.reason);
    core.setOutput('lessons-captured', 0);
    core.setOutput('lessons-new', 0);
    return;
  }
  const { ctx } = run;
  // Read the PR before touching the database: a failed read stores nothing and uploads nothing.
  const { bundle, requests } = await readPrBundle(run.octokit, {
    owner: ctx.owner,
    repo: ctx.repo,
    pull_number: target.number,
    ...(target.pull ? { pull: target.pull } : {}),
  });
  core.info(`read ${ctx.owner}/${ctx.repo}#${target.number} in ${requests} requests`);
  const outcome = await withDatabase(run, async (store, fresh) => {
    const captured = captureBundle(store, parsePrBundle(bundle, `${ctx.owner}/${ctx.repo}#${target.number}`), run.nowIso, captureSettings(run.inputs));
    const caught = await catchUp(run, store, fresh);
    return { captured, caught };
  });
  run.summary.push(describeCapture(outcome.captured));
  for (const o of outcome.caught?.captured ?? []) run.summary.push(describeCapture(o));
  const all = [outcome.captured, ...(outcome.caught?.captured ?? [])];
  core.setOutput('lessons-captured', all.reduce((n, o) => n + o.lessons.length, 0));
  core.setOutput('lessons-new', all.reduce((n, o) => n + o.inserted.length, 0));
  core.setOutput('prs-captured', all.length);
}

/**
 * The DigestReport JSON as an artifact of this run, so that the issue can link it when the JSON does not fit
 * in the body (files under RUNNER_TEMP vanish with the job). Returns the link, or nothing when there is no
 * report to keep or the upload was not possible.
 */
async function uploadReport(run: Run, report: DigestReport): Promise<string | undefined> {
  const { ctx, inputs } = run;
  if (inputs['dry-run'] || report.candidate_count === 0 || !ctx.runUrl) return undefined;
  try {
    assertArtifactServiceEnv();
    const uploaded = await uploadReportArtifact(actionsArtifactUploader(), {
      json: JSON.stringify(report, null, 2) + '\n',
      log,
      ...(inputs['retention-days'] !== undefined ? { retentionDays: inputs['retention-days'] } : {}),
      ...(ctx.tempDir ? { tempDir: ctx.tempDir } : {}),
    });
    run.summary.push(`Uploaded the DigestReport JSON as artifact ${uploaded.id}`);
    return `${ctx.runUrl}/artifacts/${uploaded.id}`;
  } catch (err) {
    log.warning(`the DigestReport JSON was not uploaded as an artifact: ${(err as Error).message}`);
    return undefined;
  }
}

async function distillMode(run: Run): Promise<void> {
  const { inputs, ctx } = run;
  const { watermark } = stateStores(run);
  // The watermark may only move once the database holding this run's catch-up captures is uploaded:
  // otherwise a failed upload loses lessons that the moved watermark would then treat as old.
  let pendingWatermark: string | null = null;
  const deferred: WatermarkStore = {
    describe: watermark.describe,
    read: () => watermark.read(),
    write: async (text) => {
      pendingWatermark = text;
    },
  };
  const result = await withDatabase(run, async (store, fresh) => {
    await catchUp(run, store, fresh);
    const weekly = await runWeeklyDigest(
      store,
      {
        now: run.nowMicros,
        since: inputs.since,
        project: inputs.project || `${ctx.owner}/${ctx.repo}`,
        minCluster: inputs['min-cluster'],
        watermark: deferred,
        publish: async (report) => {
          const reportUrl = await uploadReport(run, report);
          const ids = report.candidates.flatMap((c) => c.cluster.lesson_ids);
          const provenance = new Map(
            [...store.provenanceFor(ids)].map(([id, p]) => [id, { comment_url: p.comment_url, pr_url: p.pr_url, author: p.comment_author }]),
          );
          return publishDigest(run.octokit, {
            owner: ctx.owner,
            repo: ctx.repo,
            report,
            provenance,
            labels: inputs.labels,
            dryRun: inputs['dry-run'],
            log,
            serverUrl: ctx.serverUrl,
            ...(reportUrl ? { reportUrl } : {}),
          });
        },
      },
      log,
    );
    // Lessons a posted digest shows count as used (promote-tiers keeps used lessons hot). Only on the
    // post that created the issue, so a re-run does not count them twice.
    if (weekly.publish.action === 'created') {
      store.touchLessons(weekly.report.candidates.flatMap((c) => c.cluster.lesson_ids), run.nowIso);
    }
    return weekly;
  });
  if (pendingWatermark !== null) await watermark.write(pendingWatermark);
  const { report, publish } = result;
  if (ctx.tempDir) {
    const path = join(ctx.tempDir, 'mycelium-digest.json');
    await writeFile(path, JSON.stringify(report, null, 2) + '\n');
    core.setOutput('report-path', path);
  }
  core.setOutput('candidate-count', report.candidate_count);
  core.setOutput('lessons-scanned', report.total_lessons_scanned);
  core.setOutput('digest-action', publish.action);
  if (publish.issueNumber !== null && publish.issueNumber !== undefined) core.setOutput('issue-number', publish.issueNumber);
  if (publish.issueUrl) core.setOutput('issue-url', publish.issueUrl);
  run.summary.push(
    `Distill: ${report.total_lessons_scanned} lessons scanned in ${report.cluster_count} clusters, ` +
      `${report.dropped_unparseable_ts} dropped (unparseable ts), ${report.candidate_count} skill candidates`,
    ...report.candidates.map((c) => `  - ${c.title}: ${c.cluster.lesson_ids.length} lessons over ${c.recurrence_pr_count} PRs, avg confidence ${c.cluster.avg_confidence}`),
    `Digest: ${publish.action}${publish.issueUrl ? ` ${publish.issueUrl}` : ''}; watermark ${result.watermarkAdvanced ? `advanced to ${run.nowIso}` : 'unchanged'}`,
  );
}

async function promoteTiersMode(run: Run): Promise<void> {
  const { archive } = stateStores(run);
  const report = await withDatabase(run, (store) => promoteTiers(store, run.nowMicros, archive));
  core.setOutput('promoted', report.promoted);
  core.setOutput('demoted', report.demoted);
  core.setOutput('archived', report.archived);
  run.summary.push(`Tiers: promoted ${report.promoted}, demoted ${report.demoted} (archived ${report.archived}), errors ${report.errors.length}`);
  for (const e of report.errors) core.error(e);
  if (report.errors.length) throw new Error(`${report.errors.length} lessons could not be archived (their tiers are unchanged)`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function run(nowMs: () => number = () => Date.now()): Promise<void> {
  const summary: string[] = [];
  let failure: string | null = null;
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
    const octokit = createOctokit({ token, baseUrl: ctx.apiUrl, log: { debug: core.debug, info: core.info, warn: core.warning, error: core.info } });
    const now = nowMs();
    const r: Run = { inputs, ctx, octokit, nowMicros: now * 1000, nowIso: formatTimestamp(now * 1000), summary };
    if (inputs['dry-run']) summary.push('Dry run: nothing is written to GitHub.');
    if (inputs.mode === 'capture') await captureMode(r);
    else if (inputs.mode === 'distill') await distillMode(r);
    else await promoteTiersMode(r);
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
    summary.push(`Failed: ${failure}`);
    core.setFailed(failure);
  }
  try {
    // Lesson text is untrusted and addCodeBlock does not escape: escape it here, and stay below the 1 MiB a
    // step's summary may hold (300,000 UTF-16 units are at most 900,000 UTF-8 bytes).
    const full = escapeHtml(summary.join('\n'));
    const text = full.length > SUMMARY_MAX_CHARS ? `${full.slice(0, SUMMARY_MAX_CHARS).replace(/[\uD800-\uDBFF]$/, '')}\n… (summary cut)` : full;
    await core.summary.addHeading(`Mycelium ${mode}`).addCodeBlock(text, 'text').write();
  } catch (err) {
    // No summary file outside the runner (local runs): the log has it all already.
    core.debug(`job summary not written: ${(err as Error).message}`);
  }
}
