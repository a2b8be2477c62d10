/**
 * Files kept in the repository on a state branch (docs/architecture.md, data flow): the distill watermark (`state.json`) and
 * the tier archive (`archive/YYYY-MM.md`), through the contents API.
 *
 * - Read: `GET /repos/{o}/{r}/contents/{path}?ref=<branch>`; a 404 (no file, or no branch yet) is "none".
 *   Files over 1 MB come back without content (`encoding: "none"`) and are read as a git blob.
 * - Write: `PUT /repos/{o}/{r}/contents/{path}` with `branch` and the file's current `sha`. A stale sha
 *   (409) or a missing one for a file that exists now (422 "sha wasn't supplied") means someone wrote in
 *   between: re-read, re-apply the change, try again, at most `maxWriteAttempts` times.
 * - The branch is created on the first write when missing, as an orphan holding a README
 *   (`POST .../git/trees`, `POST .../git/commits` with no parents, `POST .../git/refs`);
 *   a 422 "Reference already exists" means a concurrent run made it first, which is fine: its
 *   commit is used and ours is left unreferenced.
 * - Commits made with `GITHUB_TOKEN` do not trigger workflows; the messages carry `[skip ci]` for tokens
 *   that would.
 *
 * - Several files at once (the archive of a promote-tiers run): one commit through the git data API —
 *   `GET .../git/ref/heads/<branch>`, `GET .../git/commits/{sha}` (its tree), the files' current text at that
 *   commit, `POST .../git/trees` (base_tree + the new contents inline, which creates their blobs),
 *   `POST .../git/commits` (parent: the head) and `PATCH .../git/refs/heads/<branch>` without force. A ref that
 *   moved meanwhile (422, not a fast-forward) is re-read and the change re-applied, at most `maxWriteAttempts`.
 *   Blobs are not created one by one: inline contents make one content-creating request instead of N.
 *
 * Dry runs wrap these stores with the decorators of ../adapters/dryRun.ts.
 */
import { GitHubReadError, GitHubWriteError } from './errors.js';
import type { MyceliumOctokit } from './octokit.js';
import type { ArchiveSink, Logger, WatermarkStore } from '../ports/index.js';

export const DEFAULT_STATE_BRANCH = 'mycelium-state';
export const DEFAULT_STATE_PATH = 'state.json';
export const DEFAULT_ARCHIVE_DIR = 'archive';
const DEFAULT_MAX_WRITE_ATTEMPTS = 4;

const STATE_BRANCH_README = `# Mycelium state

This branch is written by the Mycelium action, not by people. It holds the weekly digest's watermark
(\`state.json\`) and the archive of lessons that promote-tiers retired (\`archive/\`). It shares no history
with the code; deleting it makes the next weekly digest start over from its look-back window.
`;

export interface RepoStateOptions {
  owner: string;
  repo: string;
  /** Branch holding the state (default {@link DEFAULT_STATE_BRANCH}). */
  branch?: string;
  /** Watermark file on that branch (default {@link DEFAULT_STATE_PATH}). */
  path?: string;
  /** Folder of the archive files on that branch (default {@link DEFAULT_ARCHIVE_DIR}). */
  archiveDir?: string;
  /** PUT attempts when writes conflict (default 4). */
  maxWriteAttempts?: number;
  log: Logger;
}

interface FileState {
  text: string | null;
  sha: string | null;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { status?: number; response?: { status?: number } } | null;
  return e?.status ?? e?.response?.status;
}

function messageOf(error: unknown): string {
  const e = error as { message?: string; response?: { data?: { message?: unknown } } } | null;
  const data = e?.response?.data?.message;
  return typeof data === 'string' ? data : (e?.message ?? '');
}

/** 409 (stale sha), or 422 about the sha (none given for a file that exists): re-read and retry. */
function isShaConflict(error: unknown): boolean {
  const status = statusOf(error);
  return status === 409 || (status === 422 && /\bsha\b/i.test(messageOf(error)));
}

function cleanPath(path: string): string {
  const p = path.replace(/^\/+|\/+$/g, '');
  if (!p || p.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) throw new Error(`invalid state file path '${path}'`);
  return p;
}

/** The state branch of one repository: reads and conflict-safe writes of its files. */
export class RepoStateBranch {
  readonly owner: string;
  readonly repo: string;
  readonly branch: string;
  private readonly maxWriteAttempts: number;
  private readonly log: Logger;
  /** What we last saw of each file (text and sha), so a write after a read needs no second GET. */
  private readonly known = new Map<string, FileState>();
  private branchReady = false;

  constructor(
    private readonly octokit: MyceliumOctokit,
    opts: Pick<RepoStateOptions, 'owner' | 'repo' | 'branch' | 'maxWriteAttempts' | 'log'>,
  ) {
    this.owner = opts.owner;
    this.repo = opts.repo;
    this.branch = opts.branch?.trim() || DEFAULT_STATE_BRANCH;
    this.maxWriteAttempts = Math.max(1, opts.maxWriteAttempts ?? DEFAULT_MAX_WRITE_ATTEMPTS);
    this.log = opts.log;
  }

  /** `owner/repo@branch:path`, for messages. */
  where(path: string): string {
    return `${this.owner}/${this.repo}@${this.branch}:${path}`;
  }

  /** The file's text, or null when the file (or the branch) does not exist. */
  async read(path: string): Promise<string | null> {
    const state = await this.fetch(cleanPath(path));
    return state.text;
  }

  private async fetch(path: string, ref: string = this.branch): Promise<FileState> {
    const subject = `state file ${this.where(path)}`;
    let data: unknown;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({ owner: this.owner, repo: this.repo, path, ref }));
    } catch (err) {
      if (statusOf(err) === 404) {
        const none: FileState = { text: null, sha: null };
        if (ref === this.branch) this.known.set(path, none);
        return none;
      }
      throw new GitHubReadError(err, { subject, access: 'contents read' });
    }
    if (Array.isArray(data)) throw new Error(`${subject} is a directory, not a file`);
    const file = data as { type?: string; sha?: string; content?: string; encoding?: string };
    if (file.type !== 'file' || typeof file.sha !== 'string') throw new Error(`${subject} is a ${String(file.type)}, not a file`);
    let base64: string;
    if (file.encoding === 'base64' && typeof file.content === 'string') {
      base64 = file.content;
    } else {
      // Over 1 MB the contents API leaves the content out (encoding "none"): read the blob instead.
      try {
        const blob = await this.octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: file.sha });
        if (blob.data.encoding !== 'base64') throw new Error(`unexpected blob encoding '${blob.data.encoding}'`);
        base64 = blob.data.content;
      } catch (err) {
        throw new GitHubReadError(err, { subject, access: 'contents read' });
      }
    }
    const state: FileState = { text: Buffer.from(base64, 'base64').toString('utf8'), sha: file.sha };
    if (ref === this.branch) this.known.set(path, state);
    return state;
  }

  /**
   * Creates the branch unless it exists, as an orphan: one commit with a README and no parent, so the branch
   * holds Mycelium's files only (no copy of the code, its workflows or CODEOWNERS). Idempotent, race-safe.
   */
  async ensureBranch(): Promise<void> {
    if (this.branchReady) return;
    const subject = `state branch ${this.owner}/${this.repo}@${this.branch}`;
    try {
      await this.octokit.rest.git.getRef({ owner: this.owner, repo: this.repo, ref: `heads/${this.branch}` });
      this.branchReady = true;
      return;
    } catch (err) {
      if (statusOf(err) !== 404) throw new GitHubReadError(err, { subject, access: 'contents read' });
    }
    let base: { sha: string };
    try {
      const { data: tree } = await this.octokit.rest.git.createTree({
        owner: this.owner,
        repo: this.repo,
        tree: [{ path: 'README.md', mode: '100644', type: 'blob', content: STATE_BRANCH_README }],
      });
      const { data: commit } = await this.octokit.rest.git.createCommit({
        owner: this.owner,
        repo: this.repo,
        message: `mycelium: start the state branch [skip ci]`,
        tree: tree.sha,
        parents: [],
      });
      base = { sha: commit.sha };
    } catch (err) {
      throw new GitHubWriteError(err, { subject, action: 'creating', access: 'contents write' });
    }
    try {
      await this.octokit.rest.git.createRef({ owner: this.owner, repo: this.repo, ref: `refs/heads/${this.branch}`, sha: base.sha });
      this.log.info(`created state branch ${this.branch} (orphan commit ${base.sha.slice(0, 7)})`);
    } catch (err) {
      if (!(statusOf(err) === 422 && /already exists/i.test(messageOf(err)))) {
        throw new GitHubWriteError(err, { subject, action: 'creating', access: 'contents write' });
      }
      // A concurrent run created it between our check and our create: use theirs.
    }
    this.branchReady = true;
  }

  /**
   * Sets the file to `change(current text)` (null: the file does not exist) and commits it. On a conflicting
   * write, re-reads and re-applies `change`. Returns without a commit when nothing changes.
   */
  async update(path: string, change: (current: string | null) => string, message: string): Promise<void> {
    const p = cleanPath(path);
    const subject = `state file ${this.where(p)}`;
    await this.ensureBranch();
    for (let attempt = 1; ; attempt++) {
      const current = this.known.get(p) ?? (await this.fetch(p));
      const next = change(current.text);
      if (next === current.text) return;
      try {
        const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
          owner: this.owner,
          repo: this.repo,
          path: p,
          branch: this.branch,
          message,
          content: Buffer.from(next, 'utf8').toString('base64'),
          ...(current.sha ? { sha: current.sha } : {}),
        });
        const sha = data.content?.sha;
        if (sha) this.known.set(p, { text: next, sha });
        else this.known.delete(p);
        return;
      } catch (err) {
        this.known.delete(p);
        if (isShaConflict(err) && attempt < this.maxWriteAttempts) {
          this.log.info(`${subject} changed while writing (HTTP ${statusOf(err)}); re-reading it (attempt ${attempt + 1}/${this.maxWriteAttempts})`);
          continue;
        }
        if (isShaConflict(err)) {
          throw new Error(`writing ${subject}: still conflicting after ${attempt} attempts (HTTP ${statusOf(err)}: ${messageOf(err)})`, { cause: err });
        }
        throw new GitHubWriteError(err, { subject, action: 'writing', access: 'contents write' });
      }
    }
  }

  /**
   * Sets each file to `change(current text)` in one commit on the branch (see the module comment). Files whose
   * text would not change are left out; nothing changes, no commit. Returns the new commit's sha, or null.
   */
  async commitFiles(changes: ReadonlyMap<string, (current: string | null) => string>, message: string): Promise<string | null> {
    const subject = `state branch ${this.owner}/${this.repo}@${this.branch}`;
    await this.ensureBranch();
    for (let attempt = 1; ; attempt++) {
      const head = await this.headCommit(subject);
      const next = new Map<string, string>();
      for (const [raw, change] of changes) {
        const path = cleanPath(raw);
        const current = await this.fetch(path, head.sha);
        const text = change(current.text);
        if (text !== current.text) next.set(path, text);
      }
      if (next.size === 0) return null;
      let commitSha: string;
      let blobs: Map<string, string>;
      try {
        const { data: tree } = await this.octokit.rest.git.createTree({
          owner: this.owner,
          repo: this.repo,
          base_tree: head.tree,
          tree: [...next].map(([path, content]) => ({ path, mode: '100644' as const, type: 'blob' as const, content })),
        });
        blobs = new Map(tree.tree.filter((e) => e.path !== undefined && e.sha !== undefined).map((e) => [e.path, e.sha]));
        const { data: commit } = await this.octokit.rest.git.createCommit({ owner: this.owner, repo: this.repo, message, tree: tree.sha, parents: [head.sha] });
        commitSha = commit.sha;
      } catch (err) {
        throw new GitHubWriteError(err, { subject, action: 'committing to', access: 'contents write' });
      }
      try {
        await this.octokit.rest.git.updateRef({ owner: this.owner, repo: this.repo, ref: `heads/${this.branch}`, sha: commitSha, force: false });
      } catch (err) {
        // 422 "Update is not a fast forward": another run committed since we read the head.
        if (statusOf(err) === 422 && attempt < this.maxWriteAttempts) {
          this.log.info(`${subject} moved while committing; re-reading it (attempt ${attempt + 1}/${this.maxWriteAttempts})`);
          continue;
        }
        throw new GitHubWriteError(err, { subject, action: 'updating', access: 'contents write' });
      }
      for (const [path, text] of next) {
        const sha = blobs.get(path);
        if (sha) this.known.set(path, { text, sha });
        else this.known.delete(path);
      }
      this.log.info(`committed ${next.size} file(s) to ${subject} in one commit (${commitSha.slice(0, 7)})`);
      return commitSha;
    }
  }

  private async headCommit(subject: string): Promise<{ sha: string; tree: string }> {
    try {
      const { data: ref } = await this.octokit.rest.git.getRef({ owner: this.owner, repo: this.repo, ref: `heads/${this.branch}` });
      const { data: commit } = await this.octokit.rest.git.getCommit({ owner: this.owner, repo: this.repo, commit_sha: ref.object.sha });
      return { sha: commit.sha, tree: commit.tree.sha };
    } catch (err) {
      throw new GitHubReadError(err, { subject, access: 'contents read' });
    }
  }
}

function resolved(opts: RepoStateOptions): { path: string; archiveDir: string } {
  return {
    path: cleanPath(opts.path?.trim() || DEFAULT_STATE_PATH),
    archiveDir: cleanPath(opts.archiveDir?.trim() || DEFAULT_ARCHIVE_DIR),
  };
}

/** The distill watermark in the repository, `<branch>:<path>`. */
export function repoWatermarkStore(octokit: MyceliumOctokit, opts: RepoStateOptions, branch = new RepoStateBranch(octokit, opts)): WatermarkStore {
  const { path } = resolved(opts);
  return {
    describe: branch.where(path),
    read: () => branch.read(path),
    write: (text: string) => branch.update(path, () => text, `mycelium: update ${path} [skip ci]`),
  };
}

function archiveHeader(file: string): string {
  return `# Archived lessons, ${file.replace(/\.md$/, '')}\n`;
}

/** Tier archive files in the repository, `<branch>:<archiveDir>/<YYYY-MM>.md`; a run's additions land in one commit. */
export function repoArchiveSink(octokit: MyceliumOctokit, opts: RepoStateOptions, branch = new RepoStateBranch(octokit, opts)): ArchiveSink {
  const { archiveDir } = resolved(opts);
  const describe = branch.where(archiveDir);
  return {
    describe,
    read: (file: string) => branch.read(`${archiveDir}/${cleanPath(file)}`),
    async appendAll(additions: ReadonlyMap<string, string>) {
      const changes = new Map<string, (current: string | null) => string>();
      const paths = new Map<string, string>();
      for (const [file, markdown] of additions) {
        const f = cleanPath(file);
        // Re-applied on a conflict to the fresh text, so a concurrent append is kept; an entry already
        // there (a retried write that had landed) is not added twice.
        changes.set(`${archiveDir}/${f}`, (current) => {
          const text = current ?? archiveHeader(f);
          return text.includes(markdown) ? text : text + markdown;
        });
        paths.set(file, `${describe}/${f}`);
      }
      const files = [...additions.keys()].join(', ');
      await branch.commitFiles(changes, `mycelium: archive lessons to ${archiveDir}/ (${files}) [skip ci]`);
      return paths;
    },
  };
}

/** Both stores on one branch (one branch check, shared file cache). */
export function repoStateStores(octokit: MyceliumOctokit, opts: RepoStateOptions): { watermark: WatermarkStore; archive: ArchiveSink; branch: RepoStateBranch } {
  const branch = new RepoStateBranch(octokit, opts);
  return { watermark: repoWatermarkStore(octokit, opts, branch), archive: repoArchiveSink(octokit, opts, branch), branch };
}
