/**
 * The weekly run over one loaded database: catch-up, distill and promote-tiers, then one save, then the post,
 * then the watermark — in that order, each step only when the one before it succeeded:
 *
 * 1. save (upload) the database holding this run's captures, tier moves and use counts. When it fails nothing is
 *    posted and the watermark stays: the next run redoes everything and loses nothing.
 * 2. post the digest. The publisher finds an issue carrying this digest's marker and does not post again, so a
 *    re-run after a failure at 2 or 3 — or a run over an older database that yields the same digest — posts once.
 * 3. move the watermark, only once the digest is known to be on GitHub (or there was nothing to post).
 *
 * Lessons a digest shows count as used (promote-tiers keeps used lessons hot): counted in the database this run
 * saves, and only when the digest was not on GitHub yet, so a re-run after it was posted does not count them
 * twice. (A run whose save succeeds and whose post fails counts them again on the re-run that posts: at most one
 * extra use, never a lost lesson.)
 *
 * The modes `distill` and `promote-tiers` are this operation with one half switched off.
 */
import { serializeWatermarkState } from '../core/watermark.js';
import type { ProvenanceMap } from '../core/digestIssue.js';
import type { DigestReport } from '../core/distill.js';
import type { TierReport } from '../core/tiers.js';
import type { LessonRepository, OpenedDatabase, PublishResult } from '../ports/index.js';
import { catchUp } from './catchUpWindow.js';
import { decisionsForDistill, recordDigestIndex, withoutDecided } from './feedback.js';
import { runDistill } from './distillRun.js';
import { promoteTiers } from './promoteTiers.js';
import { withDatabase, type Operation, type Run } from './run.js';
import { describeDigest, describeDistill, describeReportUrl, describeTiers } from './summary.js';

export interface WeeklyParts {
  /** Catch-up, distill, post the digest, move the watermark. */
  digest: boolean;
  /** Move lessons between tiers, archiving the retired ones. */
  tiers: boolean;
}

/** Outcomes after which the digest is known to be on GitHub (or there was nothing to post). */
const PUBLISHED: ReadonlySet<PublishResult['action']> = new Set(['created', 'existing', 'skipped-empty']);

interface Planned {
  report: DigestReport;
  provenance: ProvenanceMap;
}

export function weeklyOperation(parts: WeeklyParts): Operation {
  return async (run) => {
    const { result } = await withDatabase(run, async (db) => {
      const planned = parts.digest ? await planDigest(run, db) : null;
      const tiers = parts.tiers ? await promoteTiers(db.store, run.nowMicros, run.ports.archive) : null;
      return { planned, tiers };
    });
    if (result.planned) await postDigest(run, result.planned);
    if (result.tiers) reportTiers(run, result.tiers);
  };
}

async function planDigest(run: Run, db: OpenedDatabase): Promise<Planned> {
  const { store } = db;
  await catchUp(run, db);
  const { inputs } = run;
  // Decisions of the team (ops/feedback.ts): retired lessons stay retired, decided candidates are not proposed again.
  const decisions = await decisionsForDistill(run, store);
  const distilled = await runDistill(
    store,
    {
      now: run.nowMicros,
      since: inputs.since,
      project: inputs.project || run.repository,
      minCluster: inputs['min-cluster'],
      similarity: inputs.similarity,
      ...(run.distillThreads ? { threads: run.distillThreads } : {}),
      watermark: run.ports.watermark,
      advance: false,
    },
    run.log,
  );
  const report = withoutDecided(run, distilled, decisions);
  const ids = report.candidates.flatMap((c) => c.cluster.lesson_ids);
  if (ids.length > 0) {
    const posted = await run.ports.publisher.findPosted(report);
    if (posted) run.log.info(`this digest is already issue #${posted.number}: its lessons were counted as used then`);
    else store.touchLessons(ids, run.nowIso);
  }
  return { report, provenance: digestProvenance(store, ids) };
}

/** Where each shown lesson came from, for the issue's links. */
export function digestProvenance(store: Pick<LessonRepository, 'provenanceFor'>, ids: readonly string[]): ProvenanceMap {
  return new Map(
    [...store.provenanceFor(ids)].map(([id, p]) => [id, { comment_url: p.comment_url, pr_url: p.pr_url, author: p.comment_author }]),
  );
}

async function postDigest(run: Run, { report, provenance }: Planned): Promise<void> {
  const json = JSON.stringify(report, null, 2) + '\n';
  const localPath = await run.ports.reports.writeLocal(json);
  if (localPath) run.setOutput('report-path', localPath);
  run.setOutput('candidate-count', report.candidate_count);
  run.setOutput('lessons-scanned', report.total_lessons_scanned);
  run.summary.push(describeDistill(report));
  const reportUrl = report.candidate_count > 0 ? await run.ports.reports.keep(json) : null;
  if (reportUrl) run.summary.push(describeReportUrl(reportUrl));
  const publish = await run.ports.publisher.publish(report, { provenance, ...(reportUrl ? { reportUrl } : {}) });
  let advancedTo: string | null = null;
  if (PUBLISHED.has(publish.action)) {
    if (publish.action !== 'skipped-empty') await recordDigestIndex(run, report);
    await run.ports.watermark.write(serializeWatermarkState(run.nowMicros));
    advancedTo = run.nowIso;
  } else {
    run.log.info(`watermark ${run.ports.watermark.describe} not advanced (${publish.action})`);
  }
  run.setOutput('digest-action', publish.action);
  if (publish.issueNumber !== null) run.setOutput('issue-number', publish.issueNumber);
  if (publish.issueUrl) run.setOutput('issue-url', publish.issueUrl);
  run.summary.push(describeDigest(publish, advancedTo));
}

function reportTiers(run: Run, report: TierReport): void {
  run.setOutput('promoted', report.promoted);
  run.setOutput('demoted', report.demoted);
  run.setOutput('archived', report.archived);
  run.summary.push(describeTiers(report));
  for (const e of report.errors) run.error(e);
  if (report.errors.length) throw new Error(`${report.errors.length} lessons could not be archived (their tiers are unchanged)`);
}
