/**
 * GitHub Actions artifacts for the GitHub double: registers, on a running {@link GitHubDouble},
 *
 * - REST (shapes from GitHub's OpenAPI description): list a repository's artifacts (`name` filter,
 *   pagination with Link headers), get one, delete one, download one (`/zip` answers 302 to a
 *   short-lived signed blob URL; 410 once expired), and get a workflow run;
 * - the Actions results service's twirp endpoints that `@actions/artifact` v6 calls
 *   (`/twirp/github.actions.results.api.v1.ArtifactService/{CreateArtifact,FinalizeArtifact,
 *   ListArtifacts,GetSignedArtifactURL,DeleteArtifact}`, JSON with proto field names), authorised
 *   by the runtime token's `Actions.Results:<run>:<job>` scope; names are unique per workflow run,
 *   re-run attempts included (409 `already_exists`, as the real service answers).
 *
 * Blobs live in a real azurite (./azurite.ts); upload and download URLs are SAS URLs it checks.
 * Point `@actions/artifact` at it with {@link ActionsDouble.useRun} (sets ACTIONS_RUNTIME_TOKEN and
 * ACTIONS_RESULTS_URL) and put the environment back with {@link ActionsDouble.restoreEnv}.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Azurite } from './azurite.js';
import { notFound, paginated, type GitHubDouble, type Json, type RepoState, type RouteContext, type RouteResponse } from './githubDouble.js';

export const RESULTS_SERVICE = 'github.actions.results.api.v1.ArtifactService';
export const TWIRP_ROUTE = `POST /twirp/${RESULTS_SERVICE}/{method}`;
export const ROUTES = {
  list: 'GET /repos/{owner}/{repo}/actions/artifacts',
  get: 'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}',
  delete: 'DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}',
  download: 'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
  run: 'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
  twirp: TWIRP_ROUTE,
} as const;

const CONTAINER = 'actions-results';
const DOCS = 'https://docs.github.com/rest/actions/artifacts';
const DAY = 86_400_000;
const ENV_KEYS = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL', 'GITHUB_SERVER_URL', 'GITHUB_RETENTION_DAYS'] as const;

export interface RunState {
  id: number;
  repo: RepoState;
  /** The repository the run's head came from (a fork for a fork's `pull_request` run). */
  headRepo: RepoState;
  event: string;
  attempt: number;
  runNumber: number;
  /** Results-service ids (the runtime token's scope). The run id stays across attempts; the job id does not. */
  backendId: string;
  jobBackendId: string;
  headBranch: string;
  headSha: string;
  createdAt: string;
}

export interface ArtifactRecord {
  id: number;
  name: string;
  run: RunState;
  jobBackendId: string;
  blobName: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
  /** Forced expiry (otherwise expired once `expiresAt` has passed). */
  expired: boolean;
  size: number;
  digest: string | null;
  finalized: boolean;
  deleted: boolean;
  /** Leave `repository_id`/`head_repository_id` out of `workflow_run` (so clients must fetch the run). */
  omitRunRepoIds: boolean;
}

export interface TwirpCall {
  method: string;
  body: Json;
  status: number;
}

type TwirpCode = 'already_exists' | 'not_found' | 'invalid_argument' | 'unauthenticated' | 'permission_denied' | 'internal';
const TWIRP_STATUS: Record<TwirpCode, number> = { already_exists: 409, not_found: 404, invalid_argument: 400, unauthenticated: 401, permission_denied: 403, internal: 500 };

function twirpError(code: TwirpCode, msg: string): RouteResponse {
  return { status: TWIRP_STATUS[code], body: { code, msg } };
}

let runTemplate: Json | undefined;
function workflowRunExample(): Json {
  if (!runTemplate) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    const spec = JSON.parse(readFileSync(file, 'utf8')) as { components: { examples: Record<string, { value: Json }> } };
    runTemplate = spec.components.examples['workflow-run']!.value;
  }
  return structuredClone(runTemplate);
}

function b64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

/** A runtime token as the runner hands it out: a JWT whose `scp` carries the results-service ids. */
export function runtimeTokenFor(run: Pick<RunState, 'backendId' | 'jobBackendId'>): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      scp: `Actions.ExampleScope Actions.Results:${run.backendId}:${run.jobBackendId}`,
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
  );
  return `${header}.${payload}.${b64url('double-signature')}`;
}

function scopedRunBackendIds(authorization: string | undefined): string[] {
  const token = (authorization ?? '').replace(/^bearer\s+/i, '');
  const payload = token.split('.')[1];
  if (!payload) return [];
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string };
    return (claims.scp ?? '')
      .split(' ')
      .map((s) => s.split(':'))
      .filter((p) => p[0] === 'Actions.Results' && p.length === 3)
      .map((p) => p[1]!);
  } catch {
    return [];
  }
}

export interface ActionsDoubleOptions {
  /** The repository's artifact retention setting, in days (default 90). */
  retentionDays?: number;
}

export class ActionsDouble {
  readonly twirpCalls: TwirpCall[] = [];
  readonly artifacts: ArtifactRecord[] = [];
  private readonly runs = new Map<number, RunState>();
  private nextRunId = 9_000_000_001;
  private savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> | null = null;
  retentionDays: number;
  /** Order of the REST listing (GitHub's is newest first; clients should not depend on it). */
  listOrder: 'newest-first' | 'oldest-first' = 'newest-first';
  /**
   * Awaited before a REST listing of `repo`'s artifacts is answered (the listing is taken after it):
   * lets a test hold concurrent runs at the point where they pick the newest artifact.
   */
  beforeList: ((repo: RepoState) => Promise<void>) | null = null;
  /** The next this-many CreateArtifact calls are refused (403 permission_denied, which the client does not retry). */
  refuseCreates = 0;

  constructor(
    readonly github: GitHubDouble,
    readonly blobs: Azurite,
    options: ActionsDoubleOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? 90;
    github.route({ method: 'GET', path: '/repos/{owner}/{repo}/actions/artifacts', handler: (ctx) => this.restList(ctx) });
    github.route({ method: 'GET', path: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}', handler: (ctx) => this.restGet(ctx) });
    github.route({ method: 'DELETE', path: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}', handler: (ctx) => this.restDelete(ctx) });
    github.route({
      method: 'GET',
      path: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
      handler: (ctx) => this.restDownload(ctx),
    });
    github.route({ method: 'GET', path: '/repos/{owner}/{repo}/actions/runs/{run_id}', handler: (ctx) => this.restRun(ctx) });
    github.route({ method: 'POST', path: `/twirp/${RESULTS_SERVICE}/{method}`, handler: (ctx) => this.twirp(ctx) });
  }

  // ---- state ----

  /** A workflow run of `repo`; `headRepo` (default `repo`) is where its head came from. */
  addRun(opts: { repo: string; headRepo?: string; event?: string; createdAt?: string }): RunState {
    const repo = this.github.addRepo(opts.repo);
    const headRepo = this.github.addRepo(opts.headRepo ?? opts.repo);
    const id = this.nextRunId++;
    const run: RunState = {
      id,
      repo,
      headRepo,
      event: opts.event ?? 'pull_request_target',
      attempt: 1,
      runNumber: id % 10_000,
      backendId: randomUUID(),
      jobBackendId: randomUUID(),
      headBranch: 'main',
      headSha: createHash('sha1').update(`run ${id}`).digest('hex'),
      createdAt: opts.createdAt ?? new Date().toISOString(),
    };
    this.runs.set(id, run);
    return run;
  }

  /** The next attempt of `run` (a re-run): same run ids, a new job. */
  rerun(run: RunState): RunState {
    const next: RunState = { ...run, attempt: run.attempt + 1, jobBackendId: randomUUID() };
    this.runs.set(run.id, next);
    return next;
  }

  /** Points `@actions/artifact` at this double as `run`'s job. */
  useRun(run: RunState, env: { retentionDays?: number | null } = {}): void {
    if (!this.savedEnv) this.savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    process.env.ACTIONS_RUNTIME_TOKEN = runtimeTokenFor(run);
    process.env.ACTIONS_RESULTS_URL = `${this.github.url}/`;
    process.env.GITHUB_SERVER_URL = 'https://github.com';
    const days = env.retentionDays === undefined ? this.retentionDays : env.retentionDays;
    if (days === null) delete process.env.GITHUB_RETENTION_DAYS;
    else process.env.GITHUB_RETENTION_DAYS = String(days);
  }

  restoreEnv(): void {
    if (!this.savedEnv) return;
    for (const k of ENV_KEYS) {
      const v = this.savedEnv[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.savedEnv = null;
  }

  /** Forgets artifacts and twirp calls (runs stay; blobs stay in azurite, unreachable). */
  reset(): void {
    this.listOrder = 'newest-first';
    this.beforeList = null;
    this.artifacts.length = 0;
    this.twirpCalls.length = 0;
  }

  live(): ArtifactRecord[] {
    return this.artifacts.filter((a) => a.finalized && !a.deleted);
  }

  find(id: number): ArtifactRecord | undefined {
    return this.artifacts.find((a) => a.id === id && !a.deleted);
  }

  isExpired(a: ArtifactRecord, now = Date.now()): boolean {
    return a.expired || (a.expiresAt !== null && a.expiresAt.getTime() <= now);
  }

  private blobNameFor(run: RunState, jobBackendId: string, name: string): string {
    return `${run.backendId}/workflow-job-run-${jobBackendId}/artifacts/${createHash('sha256').update(`${name}:${randomUUID()}`).digest('hex')}.zip`;
  }

  /**
   * Adds a finished artifact of `run` whose zip is `zip` (stored in azurite); without `zip` only the
   * listing knows it (downloads then fail at the blob, as for a blob that is gone).
   */
  async seedArtifact(opts: {
    run: RunState;
    name: string;
    zip?: Uint8Array;
    createdAt?: string;
    expiresAt?: string | null;
    expired?: boolean;
    /** Defaults to the zip's real sha256; `null` for artifacts from before digests. */
    digest?: string | null;
    omitRunRepoIds?: boolean;
  }): Promise<ArtifactRecord> {
    const blobName = this.blobNameFor(opts.run, opts.run.jobBackendId, opts.name);
    if (opts.zip) {
      const container = await this.blobs.container(CONTAINER);
      await container.getBlockBlobClient(blobName).uploadData(Buffer.from(opts.zip), { blobHTTPHeaders: { blobContentType: 'application/zip' } });
    }
    const createdAt = new Date(opts.createdAt ?? Date.now());
    const record: ArtifactRecord = {
      id: this.github.newId(),
      name: opts.name,
      run: opts.run,
      jobBackendId: opts.run.jobBackendId,
      blobName,
      createdAt,
      updatedAt: createdAt,
      expiresAt: opts.expiresAt === null ? null : new Date(opts.expiresAt ?? createdAt.getTime() + this.retentionDays * DAY),
      expired: opts.expired ?? false,
      size: opts.zip?.length ?? 0,
      digest: opts.digest !== undefined ? opts.digest : opts.zip ? `sha256:${createHash('sha256').update(opts.zip).digest('hex')}` : null,
      finalized: true,
      deleted: false,
      omitRunRepoIds: opts.omitRunRepoIds ?? false,
    };
    this.artifacts.push(record);
    return record;
  }

  // ---- REST ----

  restArtifact(a: ArtifactRecord): Json {
    const api = `${this.github.url}/repos/${a.run.repo.owner}/${a.run.repo.name}/actions/artifacts/${a.id}`;
    const run: Json = { id: a.run.id, head_branch: a.run.headBranch, head_sha: a.run.headSha };
    if (!a.omitRunRepoIds) Object.assign(run, { repository_id: a.run.repo.id, head_repository_id: a.run.headRepo.id });
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${Buffer.from(String(a.id)).toString('base64')}`,
      name: a.name,
      size_in_bytes: a.size,
      url: api,
      archive_download_url: `${api}/zip`,
      expired: this.isExpired(a),
      created_at: a.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      expires_at: a.expiresAt ? a.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
      updated_at: a.updatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      digest: a.digest,
      workflow_run: run,
    };
  }

  private repoArtifacts(ctx: RouteContext): { repo: RepoState; items: ArtifactRecord[] } | RouteResponse {
    const repo = this.github.repo(ctx.params.owner!, ctx.params.repo!);
    if (!repo) return notFound();
    return { repo, items: this.live().filter((a) => a.run.repo.id === repo.id) };
  }

  private async restList(ctx: RouteContext): Promise<RouteResponse> {
    const held = this.github.repo(ctx.params.owner!, ctx.params.repo!);
    if (held && this.beforeList) await this.beforeList(held);
    const found = this.repoArtifacts(ctx);
    if ('status' in found) return found;
    const name = ctx.query.get('name');
    const items = found.items
      .filter((a) => name === null || a.name === name)
      .sort((a, b) => (b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id) * (this.listOrder === 'newest-first' ? 1 : -1))
      .map((a) => this.restArtifact(a));
    const page = paginated(ctx, items);
    return { ...page, body: { total_count: items.length, artifacts: page.body } };
  }

  private one(ctx: RouteContext): ArtifactRecord | RouteResponse {
    const found = this.repoArtifacts(ctx);
    if ('status' in found) return found;
    return found.items.find((a) => a.id === Number(ctx.params.artifact_id)) ?? notFound();
  }

  private restGet(ctx: RouteContext): RouteResponse {
    const a = this.one(ctx);
    return 'status' in a ? a : { status: 200, body: this.restArtifact(a) };
  }

  private async restDelete(ctx: RouteContext): Promise<RouteResponse> {
    const a = this.one(ctx);
    if ('status' in a) return a;
    await this.drop(a);
    return { status: 204 };
  }

  private async restDownload(ctx: RouteContext): Promise<RouteResponse> {
    if (ctx.params.archive_format !== 'zip') return notFound();
    const a = this.one(ctx);
    if ('status' in a) return a;
    if (this.isExpired(a)) return { status: 410, body: { message: 'Artifact has expired', documentation_url: DOCS, status: '410' } };
    const location = this.blobs.signedUrl(CONTAINER, a.blobName, 'r', 60, { contentDisposition: `attachment; filename="${a.name}.zip"` });
    return { status: 302, headers: { location } };
  }

  private restRun(ctx: RouteContext): RouteResponse {
    const repo = this.github.repo(ctx.params.owner!, ctx.params.repo!);
    const run = this.runs.get(Number(ctx.params.run_id));
    if (!repo || !run || run.repo.id !== repo.id) return notFound();
    const full = `${repo.owner}/${repo.name}`;
    const api = `${this.github.url}/repos/${full}/actions/runs/${run.id}`;
    const body = workflowRunExample();
    Object.assign(body, {
      id: run.id,
      node_id: `WFR_${b64url(String(run.id))}`,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      run_number: run.runNumber,
      run_attempt: run.attempt,
      event: run.event,
      status: 'completed',
      conclusion: 'success',
      display_title: `Mycelium run ${run.id}`,
      url: api,
      html_url: `https://github.com/${full}/actions/runs/${run.id}`,
      jobs_url: `${api}/jobs`,
      logs_url: `${api}/logs`,
      artifacts_url: `${api}/artifacts`,
      cancel_url: `${api}/cancel`,
      rerun_url: `${api}/rerun`,
      previous_attempt_url: run.attempt > 1 ? `${api}/attempts/${run.attempt - 1}` : null,
      created_at: run.createdAt,
      updated_at: run.createdAt,
      run_started_at: run.createdAt,
      pull_requests: [],
      repository: run.repo.repo,
      head_repository: run.headRepo.repo,
    });
    body.head_commit = { ...body.head_commit, id: run.headSha };
    return { status: 200, body };
  }

  private async drop(a: ArtifactRecord): Promise<void> {
    a.deleted = true;
    const container = await this.blobs.container(CONTAINER);
    await container.getBlockBlobClient(a.blobName).deleteIfExists();
  }

  // ---- results service (twirp) ----

  private async twirp(ctx: RouteContext): Promise<RouteResponse> {
    const method = ctx.params.method!;
    const body = (ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Json;
    const answer = await this.twirpAnswer(method, body, ctx.headers.authorization);
    this.twirpCalls.push({ method, body, status: answer.status });
    return answer;
  }

  private async twirpAnswer(method: string, body: Json, authorization: string | undefined): Promise<RouteResponse> {
    const runBackendId = String(body.workflow_run_backend_id ?? '');
    if (!scopedRunBackendIds(authorization).includes(runBackendId)) {
      return twirpError('unauthenticated', 'the runtime token does not grant access to this workflow run');
    }
    const run = [...this.runs.values()].find((r) => r.backendId === runBackendId);
    if (!run) return twirpError('not_found', 'workflow run not found');
    const ofRun = this.artifacts.filter((a) => a.run.backendId === runBackendId && !a.deleted);
    const name = typeof body.name === 'string' ? body.name : '';

    switch (method) {
      case 'CreateArtifact': {
        if (!name) return twirpError('invalid_argument', 'name is required');
        if (this.refuseCreates > 0) {
          this.refuseCreates--;
          return twirpError('permission_denied', 'artifact storage quota has been hit (refused by the test)');
        }
        if (ofRun.some((a) => a.name === name)) {
          return twirpError('already_exists', 'an artifact with this name already exists on the workflow run');
        }
        const jobBackendId = String(body.workflow_job_run_backend_id ?? '');
        const blobName = this.blobNameFor(run, jobBackendId, name);
        await this.blobs.container(CONTAINER); // the signed URL must point into an existing container
        const now = new Date();
        const asked = typeof body.expires_at === 'string' ? new Date(body.expires_at) : null;
        const longest = new Date(now.getTime() + this.retentionDays * DAY);
        this.artifacts.push({
          id: 0,
          name,
          run,
          jobBackendId,
          blobName,
          createdAt: now,
          updatedAt: now,
          expiresAt: asked && asked < longest ? asked : longest,
          expired: false,
          size: 0,
          digest: null,
          finalized: false,
          deleted: false,
          omitRunRepoIds: false,
        });
        return { status: 200, body: { ok: true, signed_upload_url: this.blobs.signedUrl(CONTAINER, blobName, 'cw', 3600) } };
      }
      case 'FinalizeArtifact': {
        const a = ofRun.find((x) => x.name === name && !x.finalized);
        if (!a) return twirpError('not_found', `no artifact upload named ${name} in progress`);
        const container = await this.blobs.container(CONTAINER);
        const blob = container.getBlockBlobClient(a.blobName);
        if (!(await blob.exists())) return twirpError('invalid_argument', 'nothing was uploaded for this artifact');
        const content = await blob.downloadToBuffer();
        const size = Number(body.size ?? 0);
        if (size !== content.length) return twirpError('invalid_argument', `size ${size} does not match the uploaded ${content.length} bytes`);
        const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
        if (typeof body.hash === 'string' && body.hash !== digest) return twirpError('invalid_argument', `hash ${body.hash} does not match ${digest}`);
        Object.assign(a, { id: this.github.newId(), finalized: true, size, digest, updatedAt: new Date() });
        return { status: 200, body: { ok: true, artifact_id: String(a.id) } };
      }
      case 'ListArtifacts': {
        const nameFilter = typeof body.name_filter === 'string' ? body.name_filter : null;
        const idFilter = body.id_filter !== undefined ? Number(body.id_filter) : null;
        const artifacts = ofRun
          .filter((a) => a.finalized && (nameFilter === null || a.name === nameFilter) && (idFilter === null || a.id === idFilter))
          .map((a) => ({
            workflow_run_backend_id: a.run.backendId,
            workflow_job_run_backend_id: a.jobBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: a.createdAt.toISOString(),
            ...(a.digest ? { digest: a.digest } : {}),
          }));
        return { status: 200, body: { artifacts } };
      }
      case 'GetSignedArtifactURL': {
        const a = ofRun.find((x) => x.name === name && x.finalized);
        if (!a) return twirpError('not_found', `artifact ${name} not found`);
        return { status: 200, body: { signed_url: this.blobs.signedUrl(CONTAINER, a.blobName, 'r', 600) } };
      }
      case 'DeleteArtifact': {
        const a = ofRun.find((x) => x.name === name && x.finalized);
        if (!a) return twirpError('not_found', `artifact ${name} not found`);
        await this.drop(a);
        return { status: 200, body: { ok: true, artifact_id: String(a.id) } };
      }
      default:
        return { status: 404, body: { code: 'bad_route', msg: `no handler for path "/twirp/${RESULTS_SERVICE}/${method}"` } };
    }
  }
}

/** Registers the Actions artifacts routes on `github`, blobs in `blobs`. */
export function installActionsDouble(github: GitHubDouble, blobs: Azurite, options?: ActionsDoubleOptions): ActionsDouble {
  return new ActionsDouble(github, blobs, options);
}
