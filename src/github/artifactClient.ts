/**
 * The only module that touches `@actions/artifact` (v6, ESM-only). It is imported lazily so nothing
 * else pays for it (it pulls in @actions/core's logging, Azure's SDK and a zip writer) and so code
 * paths that never upload — the CLI, downloads — work without the runner's variables.
 *
 * Upload and delete go through the results service of the current run (`ACTIONS_RESULTS_URL`,
 * `ACTIONS_RUNTIME_TOKEN`: the runner hands both to JavaScript actions, not to `run:` steps), so they
 * only ever act on artifacts of this workflow run.
 */

export interface ArtifactUploadResult {
  id: number;
  size: number | undefined;
  /** `sha256` hex digest of the uploaded zip, when the library computed it. */
  digest: string | undefined;
}

/** What the artifact store needs from an artifact service; tests may provide their own. */
export interface ArtifactUploader {
  /** Uploads `files` (under `rootDirectory`) as one zipped artifact named `name` of the current run. */
  upload(name: string, files: string[], rootDirectory: string, options: { retentionDays?: number }): Promise<ArtifactUploadResult>;
  /** Deletes the current run's artifact named `name` (any attempt of this run); returns its id. */
  deleteFromThisRun(name: string): Promise<{ id: number }>;
}

export class ArtifactServiceUnavailableError extends Error {
  override name = 'ArtifactServiceUnavailableError';
}

/** Refuses early, with a clear line, when the runner did not hand us the results service. */
export function assertArtifactServiceEnv(env: NodeJS.ProcessEnv = process.env): void {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((k) => !env[k]);
  if (missing.length) {
    throw new ArtifactServiceUnavailableError(
      `cannot upload the lessons database: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set ` +
        '(the runner gives them only to JavaScript actions, not to `run:` steps)',
    );
  }
}

/** `@actions/artifact`'s DefaultArtifactClient behind {@link ArtifactUploader}, loaded on first use. */
export function actionsArtifactUploader(): ArtifactUploader {
  type Client = import('@actions/artifact').ArtifactClient;
  let client: Promise<Client> | undefined;
  const get = (): Promise<Client> => {
    client ??= import('@actions/artifact').then((m) => new m.DefaultArtifactClient());
    return client;
  };
  return {
    async upload(name, files, rootDirectory, options) {
      assertArtifactServiceEnv();
      const c = await get();
      const res = await c.uploadArtifact(name, files, rootDirectory, options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {});
      if (res.id === undefined) throw new Error(`artifact ${name} was uploaded but the service returned no id`);
      return { id: res.id, size: res.size, digest: res.digest };
    },
    async deleteFromThisRun(name) {
      assertArtifactServiceEnv();
      const c = await get();
      return c.deleteArtifact(name);
    },
  };
}

/**
 * True when the results service refused to create an artifact because one with this name already
 * exists in this workflow run (names are unique per run, re-run attempts included). The library
 * reports it as `Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: ...`.
 */
export function isArtifactNameConflict(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /CreateArtifact/.test(message) && (/\(409\)/.test(message) || /already exists/i.test(message));
}
