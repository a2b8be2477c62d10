/**
 * Uploading the lessons database (and the DigestReport JSON) as an artifact of this run, through
 * `@actions/artifact` (./artifactClient.ts), always under the same name. Artifact names are unique within
 * a workflow run, re-run attempts included: a name conflict deletes this run's earlier artifact and
 * uploads again, once (why this and not a per-attempt name: see ./artifactStore.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isArtifactNameConflict, type ArtifactUploader } from './artifactClient.js';
import type { Logger } from '../ports/index.js';
import { SQLITE_HEADER } from '../store/schema.js';

/** The file inside the artifact's zip. */
export const DB_FILE_NAME = 'lessons.db';

export interface ArtifactLog extends Logger {
  debug?(message: string): void;
}

export const SILENT: ArtifactLog = { info: () => {}, warning: () => {} };

export interface UploadOptions {
  name: string;
  /** The database file's bytes (`store.export()`). */
  bytes: Uint8Array;
  /** Days to keep the artifact; unset uses the repository's setting (the most it allows). */
  retentionDays?: number;
  /** Where the temporary directory is made (default the OS temp dir; `RUNNER_TEMP` on a runner). */
  tempDir?: string;
  log?: ArtifactLog;
}

export interface UploadedDb {
  id: number;
  size: number | undefined;
  digest: string | undefined;
  /** Id of this run's earlier artifact that was deleted to make room (a re-run), if any. */
  replaced: number | null;
}

/** Throws unless `days` is a whole number of days GitHub can keep an artifact (1–400). */
export function validateRetentionDays(days: number | undefined): void {
  if (days === undefined) return;
  if (!Number.isInteger(days) || days < 1 || days > 400) {
    throw new Error(
      `retention days must be a whole number from 1 to 400 (the repository setting caps it further), got ${days}`,
    );
  }
}

/**
 * Uploads the database as artifact `name` of this run. A name conflict (a re-run of this run
 * already uploaded it) deletes this run's old artifact and uploads again, once.
 */
export async function uploadDbArtifact(uploader: ArtifactUploader, opts: UploadOptions): Promise<UploadedDb> {
  const log = opts.log ?? SILENT;
  validateRetentionDays(opts.retentionDays);
  if (opts.bytes.length < 16 || Buffer.from(opts.bytes.subarray(0, 16)).toString('latin1') !== SQLITE_HEADER) {
    throw new Error(`refusing to upload artifact "${opts.name}": the bytes are not a SQLite database`);
  }
  const uploaded = await uploadFileReplacingThisRuns(uploader, opts.name, DB_FILE_NAME, opts.bytes, opts, log);
  log.info(`uploaded the lessons database (${opts.bytes.length} bytes) as artifact #${uploaded.id} "${opts.name}"`);
  return uploaded;
}

export const DEFAULT_REPORT_ARTIFACT_NAME = 'mycelium-digest-report';
export const REPORT_FILE_NAME = 'mycelium-digest.json';

/** Uploads a DigestReport's JSON as artifact `name` of this run (replacing this run's earlier one). */
export async function uploadReportArtifact(
  uploader: ArtifactUploader,
  opts: { name?: string; json: string; retentionDays?: number; tempDir?: string; log?: ArtifactLog },
): Promise<UploadedDb> {
  const log = opts.log ?? SILENT;
  validateRetentionDays(opts.retentionDays);
  const name = opts.name ?? DEFAULT_REPORT_ARTIFACT_NAME;
  const uploaded = await uploadFileReplacingThisRuns(
    uploader,
    name,
    REPORT_FILE_NAME,
    Buffer.from(opts.json, 'utf8'),
    opts,
    log,
  );
  log.info(`uploaded the DigestReport JSON as artifact #${uploaded.id} "${name}"`);
  return uploaded;
}

/**
 * Writes `bytes` as `fileName` in a temporary folder and uploads it as artifact `name`. Artifact names are
 * unique within a workflow run, re-run attempts included: when an earlier step or attempt of this run
 * uploaded one, it is deleted (the results service can only reach this run's) and the upload made again, once.
 */
async function uploadFileReplacingThisRuns(
  uploader: ArtifactUploader,
  name: string,
  fileName: string,
  bytes: Uint8Array,
  opts: { retentionDays?: number; tempDir?: string },
  log: ArtifactLog,
): Promise<UploadedDb> {
  const dir = await mkdtemp(join(opts.tempDir ?? (process.env.RUNNER_TEMP || tmpdir()), 'mycelium-artifact-'));
  try {
    const file = join(dir, fileName);
    await writeFile(file, bytes);
    const options = opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {};
    let replaced: number | null = null;
    let res;
    try {
      res = await uploader.upload(name, [file], dir, options);
    } catch (err) {
      if (!isArtifactNameConflict(err)) throw err;
      log.info(
        `artifact "${name}" already exists in this workflow run (an earlier step, or an earlier attempt of a re-run): replacing it`,
      );
      replaced = (await uploader.deleteFromThisRun(name)).id;
      log.info(`deleted this run's earlier artifact #${replaced}`);
      res = await uploader.upload(name, [file], dir, options);
    }
    return { ...res, replaced };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
