/** The ports over GitHub: the database as a workflow artifact, pull requests, the run's report artifact. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePrBundle } from '../capture/bundle.js';
import { errorMessage } from '../core/errorMessage.js';
import { actionsArtifactUploader, assertArtifactServiceEnv, type ArtifactUploader } from '../github/artifactClient.js';
import { DEFAULT_REFRESH_AFTER_DAYS, loadDatabase, type DbArtifact } from '../github/artifactStore.js';
import { uploadDbArtifact, uploadReportArtifact, validateRetentionDays } from '../github/artifactUpload.js';
import type { MyceliumOctokit } from '../github/octokit.js';
import { readPrBundle } from '../github/readPullRequest.js';
import type { LessonDatabase, Logger, OpenedDatabase, PullRequestSource, ReportArtifacts } from '../ports/index.js';

const DAY_MS = 86_400_000;

export interface ArtifactDatabaseOptions {
  owner: string;
  repo: string;
  name: string;
  log: Logger;
  /** The clock (epoch ms), for the age of the artifact an unchanged database came from. */
  nowMs: number;
  retentionDays?: number;
  tempDir?: string;
  uploader?: ArtifactUploader;
}

/**
 * The database as the newest usable workflow artifact (../github/artifactStore.ts decides which and why). An
 * unchanged database is not uploaded again while its artifact is younger than half the retention (at most a
 * week): no copy that says nothing new, and it is still refreshed well before it could expire.
 */
export function artifactDatabase(octokit: MyceliumOctokit, opts: ArtifactDatabaseOptions): LessonDatabase {
  validateRetentionDays(opts.retentionDays);
  const uploader = opts.uploader ?? actionsArtifactUploader();
  const refreshMs = Math.min(DEFAULT_REFRESH_AFTER_DAYS, (opts.retentionDays ?? 90) / 2) * DAY_MS;
  const origins = new WeakMap<OpenedDatabase, DbArtifact | null>();
  return {
    async open() {
      const loaded = await loadDatabase(octokit, { owner: opts.owner, repo: opts.repo, name: opts.name, log: opts.log });
      const db: OpenedDatabase = {
        store: loaded.store,
        fresh: loaded.fresh,
        origin: loaded.artifact ? `Database: artifact ${loaded.artifact.id}` : 'Database: none usable, started empty',
      };
      origins.set(db, loaded.artifact);
      return db;
    },
    async save(db) {
      const from = origins.get(db) ?? null;
      const ageMs = from?.createdAt ? opts.nowMs - Date.parse(from.createdAt) : NaN;
      if (db.store.changesSinceOpen() === 0 && from && ageMs >= 0 && ageMs < refreshMs) {
        opts.log.info(`the database did not change: artifact #${from.id} (${Math.round(ageMs / 3_600_000)} h old) stays the newest, nothing uploaded`);
        return { written: false, note: 'Nothing uploaded: the database did not change' };
      }
      const uploaded = await uploadDbArtifact(uploader, {
        name: opts.name,
        bytes: db.store.export(),
        log: opts.log,
        ...(opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}),
        ...(opts.tempDir !== undefined ? { tempDir: opts.tempDir } : {}),
      });
      return { written: true, note: `Uploaded artifact ${uploaded.id} (${uploaded.size} bytes)` };
    },
  };
}

export function githubPullRequests(octokit: MyceliumOctokit, owner: string, repo: string): PullRequestSource {
  return {
    async read(number, pull) {
      const { bundle, requests } = await readPrBundle(octokit, { owner, repo, pull_number: number, ...(pull ? { pull } : {}) });
      return { bundle: parsePrBundle(bundle, `${owner}/${repo}#${number}`), requests };
    },
  };
}

/**
 * The DigestReport JSON as an artifact of this run (files under RUNNER_TEMP vanish with the job), and as
 * RUNNER_TEMP/mycelium-digest.json for later steps of the job.
 */
export function runReportArtifacts(opts: { runUrl: string | null; log: Logger; retentionDays?: number; tempDir?: string; uploader?: ArtifactUploader }): ReportArtifacts {
  return {
    async keep(json) {
      if (!opts.runUrl) return null;
      try {
        assertArtifactServiceEnv();
        const uploaded = await uploadReportArtifact(opts.uploader ?? actionsArtifactUploader(), {
          json,
          log: opts.log,
          ...(opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}),
          ...(opts.tempDir ? { tempDir: opts.tempDir } : {}),
        });
        return `${opts.runUrl}/artifacts/${uploaded.id}`;
      } catch (err) {
        opts.log.warning(`the DigestReport JSON was not uploaded as an artifact: ${errorMessage(err)}`);
        return null;
      }
    },
    async writeLocal(json) {
      if (!opts.tempDir) return null;
      const path = join(opts.tempDir, 'mycelium-digest.json');
      await writeFile(path, json);
      return path;
    },
  };
}
