/**
 * The lessons database as a workflow artifact (docs/architecture.md; trust: docs/trust.md, "Which stored data a run may load").
 *
 * Every run finds the newest usable artifact named `name` in this repository, loads it, updates it
 * and uploads the result under the same name.
 *
 * Finding (REST, our own Octokit): `GET /repos/{o}/{r}/actions/artifacts?name=` through
 * `octokit.paginate`, newest first by `created_at`. Skipped, each with a logged reason:
 * - `expired: true` (listed for a while after expiry, but no longer downloadable);
 * - artifacts written by a run from a fork (`workflow_run.head_repository_id !== repository_id`):
 *   a fork's `pull_request` run can upload artifacts into this repository, so loading one would let
 *   anyone poison the database. When the listing does not carry both ids, the run itself is fetched
 *   (`GET /repos/{o}/{r}/actions/runs/{id}`) and its `head_repository` compared; a run that cannot be
 *   found, or that records no run at all, is not trusted either.
 *
 * Downloading: the REST zip endpoint (`GET .../artifacts/{id}/zip`, answered with a 302 to a
 * short-lived signed blob URL) through our Octokit with `redirect: 'manual'`, then a plain GET of
 * the blob (no GitHub token sent to blob storage) and our own small unzip (./zip.ts). We do not use
 * `@actions/artifact`'s `downloadArtifact` because: it builds its own Octokit from `@actions/github`
 * (outside our one factory, so without our retry/throttling policy and error messages); its
 * extraction retries any failure five times with 5 s sleeps, so a corrupt artifact costs ~25 s and
 * ends in a generic "download failed after 5 retries" that cannot be told apart from a network
 * problem; and it extracts to disk (by default into `GITHUB_WORKSPACE`), while we want the bytes in
 * memory to validate them. The download needs only the token's `actions: read`, not the runner's
 * results-service variables.
 *
 * Loading ({@link loadDatabase}): the newest usable artifact is validated with `LessonsStore.open`.
 * If it is corrupt we FAIL. We never fall back to an older artifact or to an empty database then:
 * the run would upload that smaller database as the newest artifact, and every later run would load
 * it — the lessons in the good artifacts would be shadowed and, as those expire, lost. An artifact
 * that vanished between listing and download (404, or 410 once expired) is skipped like an expired
 * one. With no usable artifact at all (first run, everything expired, only fork artifacts) we start
 * empty, warn, and say `fresh: true` so the caller can recapture recent PRs (capture can always be
 * redone from GitHub). Listing or download errors that are not "gone" fail the run — an outage must
 * never look like "no artifact".
 *
 * Uploading ({@link uploadDbArtifact}): through `@actions/artifact` (./artifactClient.ts), always
 * under the same name. Names are unique within a workflow run, re-run attempts included, so a re-run
 * gets a 409 conflict for the artifact an earlier attempt of the same run uploaded: we then delete
 * that artifact (results-service `DeleteArtifact`, which only reaches this run's artifacts) and upload
 * again. We chose this over putting the run attempt in the name because the REST `name` filter is an
 * exact match: attempt-suffixed names could only be found by listing every artifact of the
 * repository (CI artifacts included), page after page, on every run. What the delete drops is this
 * run's own earlier attempt, whose lessons the re-run recaptured anyway (same event, same PR), and
 * whose database the re-run loaded as its newest usable artifact unless another run uploaded since.
 * Two different runs racing (two merges at once) must be serialised by the workflow
 * (`concurrency:` group); this module cannot merge concurrent uploads.
 *
 * Retention: `retentionDays` unset leaves it to the repository's setting (which is also the most the
 * repository allows); a configured value is passed on, and the library caps it at the setting.
 */
import { createHash } from 'node:crypto';
import { LessonsStore } from '../store/lessonsStore.js';
import type { ArtifactUploader } from './artifactClient.js';
import { DB_FILE_NAME, SILENT, uploadDbArtifact, validateRetentionDays, type ArtifactLog, type UploadedDb } from './artifactUpload.js';
import { GitHubReadError } from './errors.js';
import type { MyceliumOctokit } from './octokit.js';
import { readZipEntries, readZipEntry } from './zip.js';

export const DEFAULT_DB_ARTIFACT_NAME = 'mycelium-lessons-db';
/** Largest database we download (1 GiB). */
export const DEFAULT_MAX_DB_BYTES = 1024 * 1024 * 1024;

export { DB_FILE_NAME, type ArtifactLog } from './artifactUpload.js';

export interface RepoArtifactsQuery {
  owner: string;
  repo: string;
  /** Artifact name (exact match). */
  name: string;
  log?: ArtifactLog;
}

/** The fields of a REST artifact we use. */
export interface DbArtifact {
  id: number;
  name: string;
  sizeInBytes: number;
  expired: boolean;
  createdAt: string | null;
  expiresAt: string | null;
  /** `sha256:<hex>` of the zip, for artifacts uploaded by upload-artifact v4+ / @actions/artifact v2+. */
  digest: string | null;
  runId: number | null;
  headBranch: string | null;
  headSha: string | null;
}

export type SkipReason = 'expired' | 'fork' | 'no-workflow-run' | 'run-not-found' | 'gone';

export interface SkippedArtifact {
  artifact: DbArtifact;
  reason: SkipReason;
  detail: string;
}

export interface FindResult {
  /** Usable artifacts, newest first (by `created_at`, then id). */
  candidates: DbArtifact[];
  skipped: SkippedArtifact[];
  /** How many artifacts with that name the listing returned. */
  listed: number;
}

/** Names an artifact in messages: `artifact #12 "mycelium-lessons-db" (run 34, created 2026-…)`. */
export function describeArtifact(a: DbArtifact): string {
  const run = a.runId !== null ? `run ${a.runId}` : 'no workflow run';
  return `artifact #${a.id} "${a.name}" (${run}, created ${a.createdAt ?? 'at an unknown time'})`;
}

type RestArtifact = Awaited<ReturnType<MyceliumOctokit['rest']['actions']['getArtifact']>>['data'];

function toDbArtifact(a: RestArtifact): DbArtifact {
  const run = a.workflow_run ?? null;
  return {
    id: a.id,
    name: a.name,
    sizeInBytes: a.size_in_bytes,
    expired: a.expired,
    createdAt: a.created_at ?? null,
    expiresAt: a.expires_at ?? null,
    digest: a.digest ?? null,
    runId: run?.id ?? null,
    headBranch: run?.head_branch ?? null,
    headSha: run?.head_sha ?? null,
  };
}

function createdTime(a: DbArtifact): number {
  const t = a.createdAt ? Date.parse(a.createdAt) : NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

function newestFirst(a: DbArtifact, b: DbArtifact): number {
  const ta = createdTime(a);
  const tb = createdTime(b);
  if (ta !== tb) return tb > ta ? 1 : -1;
  return b.id - a.id;
}

/**
 * Lists this repository's artifacts named `name` and keeps the ones a run may load: not expired, and
 * written by a run of this repository (not a fork). Every skipped artifact is logged with its reason.
 */
export async function findNewestUsableDbArtifact(octokit: MyceliumOctokit, query: RepoArtifactsQuery): Promise<FindResult> {
  const { owner, repo, name } = query;
  const log = query.log ?? SILENT;
  let listed: RestArtifact[];
  try {
    listed = await octokit.paginate(octokit.rest.actions.listArtifactsForRepo, { owner, repo, name, per_page: 100 });
  } catch (err) {
    throw new GitHubReadError(err, {
      subject: `the artifacts of ${owner}/${repo}`,
      access: 'actions read',
      notFound: `cannot list the artifacts of ${owner}/${repo}: repository not found or the token lacks actions: read`,
    });
  }

  const runs = new Map<number, { trusted: boolean; detail: string } | null>();
  const runVerdict = async (runId: number): Promise<{ trusted: boolean; detail: string } | null> => {
    if (runs.has(runId)) return runs.get(runId)!;
    let verdict: { trusted: boolean; detail: string } | null;
    try {
      const { data: run } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId });
      const head = run.head_repository?.id;
      const base = run.repository?.id;
      verdict =
        head !== undefined && head === base
          ? { trusted: true, detail: `run ${runId} (${run.event}) came from ${owner}/${repo}` }
          : { trusted: false, detail: `run ${runId} (${run.event}) came from ${run.head_repository?.full_name ?? 'an unknown repository'}` };
    } catch (err) {
      if ((err as { status?: number }).status !== 404) {
        throw new GitHubReadError(err, { subject: `workflow run ${runId} of ${owner}/${repo}`, access: 'actions read' });
      }
      verdict = null;
    }
    runs.set(runId, verdict);
    return verdict;
  };

  const candidates: DbArtifact[] = [];
  const skipped: SkippedArtifact[] = [];
  const skip = (artifact: DbArtifact, reason: SkipReason, detail: string) => {
    skipped.push({ artifact, reason, detail });
    log.info(`skipping ${describeArtifact(artifact)}: ${detail}`);
  };

  for (const raw of listed) {
    if (raw.name !== name) continue; // the filter is exact on GitHub; stay safe if it ever is not
    const artifact = toDbArtifact(raw);
    if (artifact.expired) {
      skip(artifact, 'expired', `expired${artifact.expiresAt ? ` at ${artifact.expiresAt}` : ''}`);
      continue;
    }
    const run = raw.workflow_run;
    if (!run || typeof run.id !== 'number') {
      skip(artifact, 'no-workflow-run', 'it records no workflow run, so its origin cannot be checked');
      continue;
    }
    if (typeof run.repository_id === 'number' && typeof run.head_repository_id === 'number') {
      if (run.head_repository_id !== run.repository_id) {
        skip(artifact, 'fork', `written by run ${run.id} from a fork (head repository ${run.head_repository_id}, not ${run.repository_id}): untrusted`);
        continue;
      }
    } else {
      const verdict = await runVerdict(run.id);
      if (verdict === null) {
        skip(artifact, 'run-not-found', `its workflow run ${run.id} was not found, so its origin cannot be checked`);
        continue;
      }
      if (!verdict.trusted) {
        skip(artifact, 'fork', `${verdict.detail}: untrusted`);
        continue;
      }
    }
    candidates.push(artifact);
  }
  candidates.sort(newestFirst);
  log.debug?.(`${listed.length} artifact(s) named "${name}" in ${owner}/${repo}: ${candidates.length} usable, ${skipped.length} skipped`);
  return { candidates, skipped, listed: listed.length };
}

// ---------------------------------------------------------------------------------------------
// Download
// ---------------------------------------------------------------------------------------------

/** The artifact's content is not a lessons database. Never fall back past it: see the module comment. */
export class CorruptDbArtifactError extends Error {
  override readonly name = 'CorruptDbArtifactError';
  constructor(
    readonly artifact: DbArtifact,
    readonly reason: string,
    readonly repository: string,
  ) {
    super(
      `the lessons database in ${describeArtifact(artifact)} of ${repository} is corrupt: ${reason}. ` +
        'Refusing to continue: starting from an older or empty database and uploading it would shadow the lessons in this one. ' +
        `Inspect it; if it is beyond repair, delete it (DELETE /repos/${repository}/actions/artifacts/${artifact.id}) and the next run will load the previous artifact.`,
    );
  }
}

/** The artifact disappeared between listing and download (deleted: 404; expired: 410). */
export class DbArtifactGoneError extends Error {
  override readonly name = 'DbArtifactGoneError';
  constructor(
    readonly artifact: DbArtifact,
    readonly status: number,
  ) {
    super(`${describeArtifact(artifact)} can no longer be downloaded (HTTP ${status}: ${status === 410 ? 'expired' : 'deleted'})`);
  }
}

export interface DownloadOptions {
  owner: string;
  repo: string;
  artifact: DbArtifact;
  /** Largest zip, and largest database inside it, accepted (default 1 GiB). */
  maxBytes?: number;
  /** Attempts at fetching the blob, each with a fresh signed URL (default 3). */
  blobAttempts?: number;
  /** Pause before attempt n+1 is n × this (default 1000 ms). */
  retryDelayMs?: number;
  /** Per blob request (default 10 minutes). */
  timeoutMs?: number;
  log?: ArtifactLog;
}

export interface DownloadedDb {
  store: LessonsStore;
  /** Size of the database file. */
  bytes: number;
}

class BlobFetchError extends Error {}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BlobFetchError(`blob is ${declared} bytes, over the limit of ${maxBytes}`);
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new BlobFetchError(`blob is over the limit of ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, total);
}

/** Asks the REST zip endpoint where the artifact lives; its 302 points at a short-lived blob URL. */
async function signedZipLocation(octokit: MyceliumOctokit, opts: DownloadOptions): Promise<{ location: string } | { body: Buffer }> {
  const { owner, repo, artifact } = opts;
  let res;
  try {
    res = await octokit.rest.actions.downloadArtifact({
      owner,
      repo,
      artifact_id: artifact.id,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 410) throw new DbArtifactGoneError(artifact, status);
    throw new GitHubReadError(err, { subject: `${describeArtifact(artifact)} of ${owner}/${repo}`, access: 'actions read' });
  }
  const status = res.status as number;
  if (status >= 300 && status < 400) {
    const location = res.headers.location;
    if (!location) throw new Error(`GitHub answered ${status} without a Location for ${describeArtifact(artifact)} of ${owner}/${repo}`);
    return { location };
  }
  // A fetch that followed the redirect itself (it may not send our token across origins).
  const data = res.data;
  if (data instanceof ArrayBuffer) return { body: Buffer.from(data) };
  throw new Error(`unexpected answer HTTP ${status} downloading ${describeArtifact(artifact)} of ${owner}/${repo}`);
}

async function fetchZip(octokit: MyceliumOctokit, opts: DownloadOptions): Promise<Buffer> {
  const attempts = Math.max(1, opts.blobAttempts ?? 3);
  const delay = opts.retryDelayMs ?? 1000;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DB_BYTES;
  const log = opts.log ?? SILENT;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, (attempt - 1) * delay));
    const where = await signedZipLocation(octokit, opts);
    if ('body' in where) return where.body;
    const blobHost = new URL(where.location).host;
    try {
      const res = await fetch(where.location, { signal: AbortSignal.timeout(opts.timeoutMs ?? 600_000) });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => {});
        throw new BlobFetchError(`blob storage (${blobHost}) answered HTTP ${res.status}`);
      }
      const zip = await readCapped(res, maxBytes);
      const digest = opts.artifact.digest;
      if (digest?.startsWith('sha256:')) {
        const actual = `sha256:${createHash('sha256').update(zip).digest('hex')}`;
        if (actual !== digest) throw new BlobFetchError(`downloaded zip has digest ${actual}, the artifact says ${digest}`);
      }
      return zip;
    } catch (err) {
      lastError = err instanceof Error ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
      if (err instanceof BlobFetchError && /over the limit/.test(err.message)) break;
      if (attempt < attempts) log.warning(`downloading ${describeArtifact(opts.artifact)} failed (attempt ${attempt}/${attempts}): ${lastError}; retrying`);
    }
  }
  if (/digest/.test(lastError) || /over the limit/.test(lastError)) {
    throw new CorruptDbArtifactError(opts.artifact, lastError, `${opts.owner}/${opts.repo}`);
  }
  throw new Error(`cannot download ${describeArtifact(opts.artifact)} of ${opts.owner}/${opts.repo}: ${lastError}`);
}

/**
 * Downloads one artifact through the REST zip endpoint and opens the database inside it.
 * Throws {@link CorruptDbArtifactError} when the content is not a lessons database, and
 * {@link DbArtifactGoneError} when GitHub no longer has it.
 */
export async function downloadDbArtifact(octokit: MyceliumOctokit, opts: DownloadOptions): Promise<DownloadedDb> {
  const repository = `${opts.owner}/${opts.repo}`;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DB_BYTES;
  const zip = await fetchZip(octokit, opts);
  const corrupt = (reason: string) => new CorruptDbArtifactError(opts.artifact, reason, repository);

  let db: Buffer;
  try {
    const files = readZipEntries(zip).filter((e) => !e.isDirectory);
    const entry = files.find((e) => e.name === DB_FILE_NAME);
    if (!entry) {
      throw corrupt(`the zip holds no ${DB_FILE_NAME} (it holds ${files.length ? files.map((f) => f.name).slice(0, 5).join(', ') : 'no files'})`);
    }
    db = readZipEntry(zip, entry, maxBytes);
  } catch (err) {
    if (err instanceof CorruptDbArtifactError) throw err;
    throw corrupt((err as Error).message);
  }
  if (db.length === 0) throw corrupt(`${DB_FILE_NAME} is empty`);
  try {
    const store = await LessonsStore.open(db, `${DB_FILE_NAME} in ${describeArtifact(opts.artifact)}`);
    return { store, bytes: db.length };
  } catch (err) {
    throw corrupt((err as Error).message);
  }
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

export interface LoadOptions extends RepoArtifactsQuery {
  download?: Omit<DownloadOptions, 'owner' | 'repo' | 'artifact' | 'log'>;
}

export interface LoadedDatabase {
  store: LessonsStore;
  /** True when no usable artifact existed and the database starts empty: recapture recent PRs. */
  fresh: boolean;
  /** The artifact the database came from (null when fresh). */
  artifact: DbArtifact | null;
  skipped: SkippedArtifact[];
}

/**
 * The database this run should update: the newest usable artifact's, or a new empty one (with a
 * warning and `fresh: true`) when there is no usable artifact. A corrupt newest artifact fails.
 */
export async function loadDatabase(octokit: MyceliumOctokit, opts: LoadOptions): Promise<LoadedDatabase> {
  const log = opts.log ?? SILENT;
  const repository = `${opts.owner}/${opts.repo}`;
  const found = await findNewestUsableDbArtifact(octokit, opts);
  const skipped = [...found.skipped];
  for (const artifact of found.candidates) {
    try {
      const { store, bytes } = await downloadDbArtifact(octokit, { ...opts.download, owner: opts.owner, repo: opts.repo, artifact, log });
      log.info(`loaded the lessons database from ${describeArtifact(artifact)} (${bytes} bytes)`);
      return { store, fresh: false, artifact, skipped };
    } catch (err) {
      if (!(err instanceof DbArtifactGoneError)) throw err;
      skipped.push({ artifact, reason: 'gone', detail: err.message });
      log.warning(`${err.message}; trying the next newest`);
    }
  }
  const why = found.listed === 0 ? 'none exists yet' : `${found.listed} listed, none usable (${summarise(skipped)})`;
  log.warning(
    `no usable lessons database artifact "${opts.name}" in ${repository} (${why}): starting with an empty database. ` +
      'Lessons of recent merged PRs should be recaptured.',
  );
  const store = await LessonsStore.open(null, 'new lessons database');
  return { store, fresh: true, artifact: null, skipped };
}

function summarise(skipped: SkippedArtifact[]): string {
  const counts = new Map<SkipReason, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Load, update, upload
// ---------------------------------------------------------------------------------------------

export interface SyncOptions extends LoadOptions {
  uploader: ArtifactUploader;
  retentionDays?: number;
  tempDir?: string;
  /** Load and run `work`, upload nothing. */
  dryRun?: boolean;
  /**
   * The clock (epoch ms). With it, a database that `work` left unchanged is not uploaded again while the
   * artifact it came from is younger than `refreshAfterDays`: no copy that says nothing new, and no second
   * upload under the same name when two steps of one run use the database.
   */
  now?: number;
  /** An unchanged database is uploaded anyway once its artifact is this old, so it never expires (default 7). */
  refreshAfterDays?: number;
}

export interface SyncResult<T> {
  result: T;
  loaded: Omit<LoadedDatabase, 'store'>;
  uploaded: UploadedDb | null;
  /** Why nothing was uploaded: a dry run, or the database did not change. */
  notUploaded: 'dry-run' | 'unchanged' | null;
}

export const DEFAULT_REFRESH_AFTER_DAYS = 7;

/**
 * Loads the database, lets `work` update it, and uploads the result. Nothing is uploaded when loading
 * fails (a corrupt artifact, an outage) or when `work` throws. The store is closed afterwards.
 */
export async function syncDbArtifact<T>(
  octokit: MyceliumOctokit,
  opts: SyncOptions,
  work: (store: LessonsStore, loaded: Omit<LoadedDatabase, 'store'>) => Promise<T>,
): Promise<SyncResult<T>> {
  validateRetentionDays(opts.retentionDays);
  const { store, ...loaded } = await loadDatabase(octokit, opts);
  try {
    const result = await work(store, loaded);
    if (opts.dryRun) return { result, loaded, uploaded: null, notUploaded: 'dry-run' };
    const from = loaded.artifact;
    const ageMs = from?.createdAt && opts.now !== undefined ? opts.now - Date.parse(from.createdAt) : NaN;
    const refreshMs = (opts.refreshAfterDays ?? DEFAULT_REFRESH_AFTER_DAYS) * 86_400_000;
    if (store.changesSinceOpen() === 0 && from && ageMs >= 0 && ageMs < refreshMs) {
      opts.log?.info(`the database did not change: artifact #${from.id} (${Math.round(ageMs / 3_600_000)} h old) stays the newest, nothing uploaded`);
      return { result, loaded, uploaded: null, notUploaded: 'unchanged' };
    }
    const uploaded = await uploadDbArtifact(opts.uploader, {
      name: opts.name,
      bytes: store.export(),
      ...(opts.retentionDays !== undefined ? { retentionDays: opts.retentionDays } : {}),
      ...(opts.tempDir !== undefined ? { tempDir: opts.tempDir } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    return { result, loaded, uploaded, notUploaded: null };
  } finally {
    store.close();
  }
}
