/**
 * The one dry-run mechanism: decorators on the writing ports. Each reads through to the real adapter (so a dry
 * run sees what a real run would) and, instead of writing, logs what it would write and returns what a write
 * would plausibly have returned. Operations never know whether they run dry.
 */
import { renderDigestIssue, type DigestIssueOptions } from '../core/digestIssue.js';
import type { ArchiveSink, DigestPublisher, LessonDatabase, Logger, ReportArtifacts, WatermarkStore } from '../ports/index.js';

export function dryRunWatermarkStore(inner: WatermarkStore, log: Logger): WatermarkStore {
  return {
    describe: inner.describe,
    read: () => inner.read(),
    async write(text: string) {
      log.info(`dry-run: would write ${inner.describe}: ${text.trim()}`);
    },
  };
}

export function dryRunArchiveSink(inner: ArchiveSink, log: Logger): ArchiveSink {
  return {
    describe: inner.describe,
    read: (file: string) => inner.read(file),
    async appendAll(additions) {
      const paths = new Map<string, string>();
      for (const [file, markdown] of additions) {
        log.info(`dry-run: would append ${markdown.length} characters to ${inner.describe}/${file}`);
        paths.set(file, `${inner.describe}/${file}`);
      }
      return paths;
    },
  };
}

export function dryRunDatabase(inner: LessonDatabase, log: Logger): LessonDatabase {
  return {
    open: () => inner.open(),
    async save(db) {
      log.info(`dry-run: would save the lessons database (${db.store.count()} lessons, ${db.store.changesSinceOpen()} changes)`);
      return { written: false, note: 'Nothing uploaded (dry run)' };
    },
  };
}

/** Renders the issue as the real publisher would (same repository, links and conventions file) and returns its body. */
export function dryRunPublisher(
  inner: DigestPublisher,
  log: Logger,
  render: Pick<DigestIssueOptions, 'serverUrl' | 'conventionsFile'> & { repository: string },
): DigestPublisher {
  const { repository } = render;
  return {
    findPosted: (report) => inner.findPosted(report),
    async publish(report, extras) {
      if (report.candidate_count === 0 || report.candidates.length === 0) {
        return { action: 'skipped-empty', digestId: null, title: null, issueNumber: null, issueUrl: null };
      }
      const issue = renderDigestIssue(report, { ...render, provenance: extras.provenance, ...(extras.reportUrl ? { reportUrl: extras.reportUrl } : {}) });
      const posted = await inner.findPosted(report);
      if (posted) {
        log.info(`digest ${issue.digestId} was already posted as #${posted.number}: a real run would not post it again`);
        return { action: 'dry-run', digestId: issue.digestId, title: issue.title, issueNumber: posted.number, issueUrl: posted.url };
      }
      log.info(
        `dry-run: would create issue "${issue.title}" in ${repository} (${issue.body.length} characters, ${issue.shownCandidates}/${report.candidates.length} candidates shown)`,
      );
      return { action: 'dry-run', digestId: issue.digestId, title: issue.title, issueNumber: null, issueUrl: null, body: issue.body };
    },
  };
}

/** The local copy for later steps is still written: it changes nothing on GitHub. */
export function dryRunReportArtifacts(inner: ReportArtifacts, log: Logger): ReportArtifacts {
  return {
    async keep(json: string) {
      log.info(`dry-run: would keep the DigestReport JSON (${json.length} characters) as a run artifact`);
      return null;
    },
    writeLocal: (json: string) => inner.writeLocal(json),
  };
}
