/**
 * Repository routes for the GitHub double: contents (GET/PUT with GitHub's sha rules), git refs and blobs,
 * the repository itself (default_branch), issues (list with state/labels/creator filters and pagination,
 * create) and labels (get, create). Registered with `double.route(...)` by {@link installRepoRoutes}.
 *
 * Git state per repository: commits are snapshots (path → blob sha), branches point at commits, blob
 * shas are real git blob hashes. GitHub's behaviours that matter here:
 * - `PUT contents` without `sha` for a file that exists → 422 `"sha" wasn't supplied`; with a `sha`
 *   that is not the file's current one → 409 `<path> does not match <sha>`; to a missing branch → 404.
 * - `GET contents` of a missing ref → 404 "No commit found for the ref …"; files over the large-file
 *   threshold (1 MB on GitHub) come back with `content: ""` and `encoding: "none"`.
 * - `POST git/refs` for an existing ref → 422 "Reference already exists".
 * - `POST git/trees` (entries with `content`, or a blob `sha`) and `POST git/commits` (any parents, also
 *   none: an orphan commit); an unknown tree or parent → 422. `GET git/commits/{sha}`; `PATCH git/refs/heads/…`
 *   that is not a fast-forward (and not forced) → 422 "Update is not a fast forward".
 * - `POST issues`: bodies over 65,536 characters → 422; unknown labels are created, as GitHub does for
 *   writers. `POST labels` for an existing name (case-insensitive) → 422 `already_exists`.
 * Every answer these routes give is kept in `responses`, so tests can check them against OpenAPI.
 */
import { createHash } from 'node:crypto';
import { checkSchema, responseSchema } from './openapiCheck.js';
import { notFound, paginated, restUser, type GitHubDouble, type Json, type RouteContext, type RouteDef, type RouteResponse } from './githubDouble.js';

export const ROUTES = {
  repo: 'GET /repos/{owner}/{repo}',
  getContent: 'GET /repos/{owner}/{repo}/contents/{path}',
  putContent: 'PUT /repos/{owner}/{repo}/contents/{path}',
  getRef: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
  createRef: 'POST /repos/{owner}/{repo}/git/refs',
  createTree: 'POST /repos/{owner}/{repo}/git/trees',
  createCommit: 'POST /repos/{owner}/{repo}/git/commits',
  getCommit: 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  updateRef: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  getBlob: 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
  listIssues: 'GET /repos/{owner}/{repo}/issues',
  createIssue: 'POST /repos/{owner}/{repo}/issues',
  getLabel: 'GET /repos/{owner}/{repo}/labels/{name}',
  createLabel: 'POST /repos/{owner}/{repo}/labels',
} as const;

/** Routes that change state. */
export const WRITE_ROUTES: readonly string[] = [
  ROUTES.putContent,
  ROUTES.createRef,
  ROUTES.createTree,
  ROUTES.createCommit,
  ROUTES.updateRef,
  ROUTES.createIssue,
  ROUTES.createLabel,
];

export interface RecordedResponse {
  route: string;
  method: string;
  /** OpenAPI path of the route. */
  path: string;
  status: number;
  body: unknown;
}

interface Commit {
  sha: string;
  parent: string | null;
  files: Map<string, string>; // path → blob sha
  message: string;
}

interface GitRepo {
  defaultBranch: string;
  branches: Map<string, string>; // branch → commit sha
  commits: Map<string, Commit>;
  blobs: Map<string, Buffer>;
  trees: Map<string, Map<string, string>>; // tree sha → (path → blob sha); only trees made through the API
  issues: Json[];
  labels: Json[];
}

export interface RepoRoutesOptions {
  /** Login the token acts as: author of created issues (default `github-actions[bot]`, a Bot). */
  actor?: string;
  /** Files larger than this (bytes) come back without content (GitHub: 1 MB). */
  largeFileBytes?: number;
}

const DOCS = 'https://docs.github.com/rest';
const API = 'https://api.github.com';
const CLOCK_START = Date.parse('2026-03-15T12:00:00Z');

function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function base64Lines(buf: Buffer): string {
  // GitHub wraps base64 content at 60 characters per line.
  return (buf.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
}

function validation(message: string, errors?: Json[]): RouteResponse {
  return { status: 422, body: { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: '422' } };
}

export class RepoDouble {
  readonly responses: RecordedResponse[] = [];
  private readonly repos = new Map<string, GitRepo>();
  private readonly actor: string;
  /** Files larger than this (bytes) come back without content; tests may lower it. */
  largeFileBytes: number;
  /** Runs once at the next `POST git/commits`, before it is answered: another writer racing this one. */
  beforeNextCommit: (() => void) | null = null;
  private clock = 0;

  constructor(
    readonly double: GitHubDouble,
    opts: RepoRoutesOptions = {},
  ) {
    this.actor = opts.actor ?? 'github-actions[bot]';
    this.largeFileBytes = opts.largeFileBytes ?? 1024 * 1024;
  }

  private now(): string {
    return new Date(CLOCK_START + 1000 * this.clock++).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Sets up a repository with a default branch holding `files` (default: a README). */
  addRepo(fullName: string, opts: { defaultBranch?: string; files?: Record<string, string> } = {}): GitRepo {
    this.double.addRepo(fullName);
    const key = fullName.toLowerCase();
    const existing = this.repos.get(key);
    if (existing) return existing;
    const git: GitRepo = { defaultBranch: opts.defaultBranch ?? 'main', branches: new Map(), commits: new Map(), blobs: new Map(), trees: new Map(), issues: [], labels: [] };
    this.repos.set(key, git);
    const files = new Map<string, string>();
    for (const [path, text] of Object.entries(opts.files ?? { 'README.md': `# ${fullName}\n` })) files.set(path, this.putBlob(git, Buffer.from(text)));
    const root = this.commit(git, null, files, 'Initial commit');
    git.branches.set(git.defaultBranch, root.sha);
    return git;
  }

  private git(ctx: RouteContext): GitRepo | undefined {
    return this.repos.get(`${ctx.params.owner}/${ctx.params.repo}`.toLowerCase());
  }

  private putBlob(git: GitRepo, content: Buffer): string {
    const sha = gitBlobSha(content);
    git.blobs.set(sha, content);
    return sha;
  }

  private commit(git: GitRepo, parent: string | null, files: Map<string, string>, message: string): Commit {
    const sha = createHash('sha1').update(`commit ${parent ?? ''} ${message} ${this.clock++} ${[...files].join(',')}`).digest('hex');
    const c: Commit = { sha, parent, files, message };
    git.commits.set(sha, c);
    return c;
  }

  // ---- test helpers ----

  /** Writes a file straight into a branch (creating the branch from the default one when missing): another writer. */
  seedFile(fullName: string, branch: string, path: string, text: string): string {
    const git = this.repos.get(fullName.toLowerCase()) ?? this.addRepo(fullName);
    const head = git.branches.get(branch) ?? git.branches.get(git.defaultBranch)!;
    const files = new Map(git.commits.get(head)!.files);
    const blob = this.putBlob(git, Buffer.from(text, 'utf8'));
    files.set(path, blob);
    git.branches.set(branch, this.commit(git, head, files, `seed ${path}`).sha);
    return blob;
  }

  /** A file's text on a branch, or undefined. */
  file(fullName: string, branch: string, path: string): string | undefined {
    const git = this.repos.get(fullName.toLowerCase());
    const head = git?.branches.get(branch);
    const blob = head ? git!.commits.get(head)!.files.get(path) : undefined;
    return blob ? git!.blobs.get(blob)!.toString('utf8') : undefined;
  }

  /** The commit a branch points at, or undefined. */
  branchSha(fullName: string, branch: string): string | undefined {
    return this.repos.get(fullName.toLowerCase())?.branches.get(branch);
  }

  branches(fullName: string): string[] {
    return [...(this.repos.get(fullName.toLowerCase())?.branches.keys() ?? [])];
  }

  /** Commits on a branch, newest first (messages). */
  history(fullName: string, branch: string): string[] {
    const git = this.repos.get(fullName.toLowerCase());
    const out: string[] = [];
    for (let sha = git?.branches.get(branch) ?? null; sha; sha = git!.commits.get(sha)!.parent) out.push(git!.commits.get(sha)!.message);
    return out;
  }

  issues(fullName: string): Json[] {
    return this.repos.get(fullName.toLowerCase())?.issues ?? [];
  }

  labels(fullName: string): Json[] {
    return this.repos.get(fullName.toLowerCase())?.labels ?? [];
  }

  /** Adds an issue as if someone opened it. */
  addIssue(fullName: string, fields: { title: string; body?: string | null; labels?: string[]; user?: string; state?: 'open' | 'closed'; pull?: boolean }): Json {
    const git = this.repos.get(fullName.toLowerCase()) ?? this.addRepo(fullName);
    return this.makeIssue(fullName, git, fields);
  }

  // ---- objects ----

  private labelObject(fullName: string, git: GitRepo, name: string, color = 'ededed', description: string | null = null): Json {
    const found = git.labels.find((l) => String(l.name).toLowerCase() === name.toLowerCase());
    if (found) return found;
    const id = this.double.newId();
    const label = {
      id,
      node_id: `LA_${Buffer.from(String(id)).toString('base64url')}`,
      url: `${API}/repos/${fullName}/labels/${encodeURIComponent(name)}`,
      name,
      description,
      color,
      default: false,
    };
    git.labels.push(label);
    return label;
  }

  private makeIssue(
    fullName: string,
    git: GitRepo,
    fields: { title: string; body?: string | null; labels?: string[]; user?: string; state?: 'open' | 'closed'; pull?: boolean },
  ): Json {
    // Issues and PRs share one number sequence on GitHub.
    const pulls = [...(this.double.repo(fullName.split('/')[0]!, fullName.split('/')[1]!)?.pulls.keys() ?? [])];
    const number = Math.max(0, ...pulls, ...git.issues.map((i) => Number(i.number))) + 1;
    const id = this.double.newId();
    const at = this.now();
    const closed = fields.state === 'closed';
    const login = fields.user ?? this.actor;
    const url = `${API}/repos/${fullName}/issues/${number}`;
    const issue: Json = {
      id,
      node_id: `I_${Buffer.from(String(id)).toString('base64url')}`,
      url,
      repository_url: `${API}/repos/${fullName}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `https://github.com/${fullName}/${fields.pull ? 'pull' : 'issues'}/${number}`,
      number,
      state: closed ? 'closed' : 'open',
      state_reason: closed ? 'completed' : null,
      title: fields.title,
      body: fields.body ?? null,
      user: restUser(login, login.endsWith('[bot]') ? { type: 'Bot' } : {}),
      labels: (fields.labels ?? []).map((name) => this.labelObject(fullName, git, name)),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: 0,
      closed_at: closed ? at : null,
      created_at: at,
      updated_at: at,
      author_association: login.endsWith('[bot]') ? 'NONE' : 'MEMBER',
      timeline_url: `${url}/timeline`,
    };
    if (fields.pull) {
      issue.pull_request = {
        url: `${API}/repos/${fullName}/pulls/${number}`,
        html_url: `https://github.com/${fullName}/pull/${number}`,
        diff_url: `https://github.com/${fullName}/pull/${number}.diff`,
        patch_url: `https://github.com/${fullName}/pull/${number}.patch`,
        merged_at: null,
      };
    }
    git.issues.push(issue);
    return issue;
  }

  private contentFile(fullName: string, branch: string, path: string, blobSha: string, content: Buffer, withContent: boolean): Json {
    const name = path.split('/').pop()!;
    const url = `${API}/repos/${fullName}/contents/${path}?ref=${encodeURIComponent(branch)}`;
    const gitUrl = `${API}/repos/${fullName}/git/blobs/${blobSha}`;
    const htmlUrl = `https://github.com/${fullName}/blob/${branch}/${path}`;
    const large = content.length > this.largeFileBytes;
    return {
      type: 'file',
      encoding: large ? 'none' : 'base64',
      size: content.length,
      name,
      path,
      ...(withContent ? { content: large ? '' : base64Lines(content) } : {}),
      sha: blobSha,
      url,
      git_url: gitUrl,
      html_url: htmlUrl,
      download_url: `https://raw.githubusercontent.com/${fullName}/${branch}/${path}`,
      _links: { self: url, git: gitUrl, html: htmlUrl },
    };
  }

  /** A git commit as the contents and git commits APIs return it. */
  private commitObject(fullName: string, c: Commit, tree: string, parents: string[]): Json {
    const at = this.now();
    return {
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 12)}`,
      url: `${API}/repos/${fullName}/git/commits/${c.sha}`,
      html_url: `https://github.com/${fullName}/commit/${c.sha}`,
      author: { date: at, name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
      committer: { date: at, name: 'GitHub', email: 'noreply@github.com' },
      message: c.message,
      tree: { url: `${API}/repos/${fullName}/git/trees/${tree}`, sha: tree },
      parents: parents.map((p) => ({ url: `${API}/repos/${fullName}/git/commits/${p}`, html_url: `https://github.com/${fullName}/commit/${p}`, sha: p })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  private refObject(fullName: string, ref: string, sha: string): Json {
    return {
      ref,
      node_id: `REF_${Buffer.from(`${fullName}:${ref}`).toString('base64url')}`,
      url: `${API}/repos/${fullName}/git/${ref}`,
      object: { sha, type: 'commit', url: `${API}/repos/${fullName}/git/commits/${sha}` },
    };
  }

  // ---- routes ----

  routes(): RouteDef[] {
    const full = (ctx: RouteContext): string => {
      const r = this.double.repo(ctx.params.owner!, ctx.params.repo!)!;
      return `${r.owner}/${r.name}`;
    };
    return [
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}',
        handler: (ctx) => {
          const git = this.git(ctx);
          const r = this.double.repo(ctx.params.owner!, ctx.params.repo!);
          if (!git || !r) return notFound();
          return {
            status: 200,
            body: {
              ...r.repo,
              default_branch: git.defaultBranch,
              has_discussions: false,
              network_count: 0,
              subscribers_count: 0,
              open_issues: git.issues.filter((i) => i.state === 'open').length,
              open_issues_count: git.issues.filter((i) => i.state === 'open').length,
              license: null,
              homepage: null,
              mirror_url: null,
              archived: false,
              disabled: false,
              has_pages: false,
              has_projects: true,
              has_wiki: true,
              has_issues: true,
              forks: 0,
              watchers: 0,
            },
          };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/contents/{path}',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const ref = ctx.query.get('ref') ?? git.defaultBranch;
          const head = git.branches.get(ref.replace(/^refs\/heads\//, '')) ?? (git.commits.has(ref) ? ref : undefined);
          if (!head) return { status: 404, body: { message: `No commit found for the ref ${ref}`, documentation_url: DOCS, status: '404' } };
          const path = ctx.params.path!;
          const blob = git.commits.get(head)!.files.get(path);
          if (!blob) return notFound();
          return { status: 200, body: this.contentFile(full(ctx), ref, path, blob, git.blobs.get(blob)!, true) };
        },
      },
      {
        method: 'PUT',
        path: '/repos/{owner}/{repo}/contents/{path}',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.message !== 'string') return validation('Invalid request.\n\n"message" wasn\'t supplied.');
          if (typeof body.content !== 'string') return validation('Invalid request.\n\n"content" wasn\'t supplied.');
          const branch = typeof body.branch === 'string' ? body.branch : git.defaultBranch;
          const head = git.branches.get(branch);
          if (!head) return { status: 404, body: { message: `Branch ${branch} not found`, documentation_url: DOCS, status: '404' } };
          const path = ctx.params.path!;
          const files = new Map(git.commits.get(head)!.files);
          const current = files.get(path);
          if (current && body.sha === undefined) return validation('Invalid request.\n\n"sha" wasn\'t supplied.');
          if (body.sha !== undefined && body.sha !== current) {
            return { status: 409, body: { message: `${path} does not match ${String(body.sha)}`, documentation_url: DOCS, status: '409' } };
          }
          const content = Buffer.from(body.content, 'base64');
          const blob = this.putBlob(git, content);
          files.set(path, blob);
          const c = this.commit(git, head, files, body.message);
          git.branches.set(branch, c.sha);
          const fullName = full(ctx);
          const file = this.contentFile(fullName, branch, path, blob, content, false);
          delete file.encoding;
          return {
            status: current ? 200 : 201,
            body: {
              content: file,
              commit: this.commitObject(fullName, c, c.sha, [head]),
            },
          };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/git/ref/{ref}',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const m = /^heads\/(.+)$/.exec(ctx.params.ref!);
          const sha = m ? git.branches.get(m[1]!) : undefined;
          return sha ? { status: 200, body: this.refObject(full(ctx), `refs/${ctx.params.ref}`, sha) } : notFound();
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/git/refs',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const body = (ctx.body ?? {}) as Json;
          const ref = String(body.ref ?? '');
          const m = /^refs\/heads\/(.+)$/.exec(ref);
          if (!/^refs\/[^/]+\/.+/.test(ref)) return validation("Reference name must start with 'refs/' and have at least two slashes.");
          if (!m) return validation('Only branch refs are supported by this double');
          if (typeof body.sha !== 'string' || !git.commits.has(body.sha)) return validation('Object does not exist');
          if (git.branches.has(m[1]!)) return validation('Reference already exists');
          git.branches.set(m[1]!, body.sha);
          return { status: 201, body: this.refObject(full(ctx), ref, body.sha) };
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/git/trees',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const body = (ctx.body ?? {}) as Json;
          if (!Array.isArray(body.tree)) return validation('Invalid request.\n\n"tree" wasn\'t supplied.');
          let files = new Map<string, string>();
          if (body.base_tree !== undefined) {
            const base = git.trees.get(String(body.base_tree)) ?? git.commits.get(String(body.base_tree))?.files;
            if (!base) return validation('Invalid request.\n\nbase_tree is not a valid tree');
            files = new Map(base);
          }
          for (const entry of body.tree as Json[]) {
            const path = entry.path;
            if (typeof path !== 'string' || entry.type !== 'blob' || entry.mode !== '100644') {
              return validation('Only regular file entries (mode 100644, type blob) are supported by this double');
            }
            if (typeof entry.content === 'string') files.set(path, this.putBlob(git, Buffer.from(entry.content, 'utf8')));
            else if (typeof entry.sha === 'string' && git.blobs.has(entry.sha)) files.set(path, entry.sha);
            else if (entry.sha === null) files.delete(path);
            else return validation(`Invalid tree info: ${path} has neither content nor a known blob sha`);
          }
          const sha = createHash('sha1').update(`tree ${[...files].sort().join(',')}`).digest('hex');
          git.trees.set(sha, files);
          const fullName = full(ctx);
          return {
            status: 201,
            body: {
              sha,
              url: `${API}/repos/${fullName}/git/trees/${sha}`,
              truncated: false,
              tree: [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, blob]) => ({
                path,
                mode: '100644',
                type: 'blob',
                sha: blob,
                size: git.blobs.get(blob)!.length,
                url: `${API}/repos/${fullName}/git/blobs/${blob}`,
              })),
            },
          };
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/git/commits',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.message !== 'string') return validation('Invalid request.\n\n"message" wasn\'t supplied.');
          const files = git.trees.get(String(body.tree));
          if (!files) return validation('Tree SHA does not exist');
          const parents = (body.parents ?? []) as unknown[];
          if (!Array.isArray(parents) || parents.some((p) => typeof p !== 'string' || !git.commits.has(p))) {
            return validation('Parent SHA does not exist or is not a commit object');
          }
          if (parents.length > 1) return validation('Merge commits are not supported by this double');
          const race = this.beforeNextCommit;
          this.beforeNextCommit = null;
          race?.();
          const c = this.commit(git, (parents[0] as string | undefined) ?? null, new Map(files), body.message);
          return { status: 201, body: this.commitObject(full(ctx), c, String(body.tree), parents as string[]) };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
        handler: (ctx) => {
          const git = this.git(ctx);
          const c = git?.commits.get(ctx.params.commit_sha!);
          if (!git || !c) return notFound();
          // The double keeps no tree objects apart from commits: a commit's sha names its tree too (base_tree
          // accepts it), as in the contents routes' answers.
          return { status: 200, body: this.commitObject(full(ctx), c, c.sha, c.parent ? [c.parent] : []) };
        },
      },
      {
        method: 'PATCH',
        path: '/repos/{owner}/{repo}/git/refs/{ref}',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const m = /^heads\/(.+)$/.exec(ctx.params.ref!);
          const head = m ? git.branches.get(m[1]!) : undefined;
          if (!m || head === undefined) return validation('Reference does not exist');
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.sha !== 'string' || !git.commits.has(body.sha)) return validation('Object does not exist');
          let fastForward = false;
          for (let sha: string | null = body.sha; sha; sha = git.commits.get(sha)!.parent) if (sha === head) fastForward = true;
          if (!fastForward && body.force !== true) return validation('Update is not a fast forward');
          git.branches.set(m[1]!, body.sha);
          return { status: 200, body: this.refObject(full(ctx), `refs/${ctx.params.ref}`, body.sha) };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
        handler: (ctx) => {
          const git = this.git(ctx);
          const content = git?.blobs.get(ctx.params.file_sha!);
          if (!content) return notFound();
          const sha = ctx.params.file_sha!;
          return {
            status: 200,
            body: {
              sha,
              node_id: `B_${sha.slice(0, 12)}`,
              size: content.length,
              url: `${API}/repos/${full(ctx)}/git/blobs/${sha}`,
              content: base64Lines(content),
              encoding: 'base64',
            },
          };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/issues',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const state = ctx.query.get('state') ?? 'open';
          if (!['open', 'closed', 'all'].includes(state)) return validation('Validation Failed', [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
          const wanted = (ctx.query.get('labels') ?? '')
            .split(',')
            .map((l) => l.trim().toLowerCase())
            .filter(Boolean);
          const creator = ctx.query.get('creator')?.toLowerCase();
          let items = git.issues.filter(
            (i) =>
              (state === 'all' || i.state === state) &&
              wanted.every((w) => (i.labels as Json[]).some((l) => String(l.name).toLowerCase() === w)) &&
              (!creator || String(i.user.login).toLowerCase() === creator),
          );
          const sort = ctx.query.get('sort') ?? 'created';
          const key = sort === 'updated' ? 'updated_at' : sort === 'comments' ? 'comments' : 'created_at';
          const dir = (ctx.query.get('direction') ?? 'desc') === 'asc' ? 1 : -1;
          items = [...items].sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : (a.id - b.id) * dir));
          return paginated(ctx, items);
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/issues',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.title !== 'string' || body.title.trim() === '') {
            return validation('Validation Failed', [{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
          }
          if (typeof body.body === 'string' && [...body.body].length > 65_536) {
            return validation('Validation Failed', [
              { resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' },
            ]);
          }
          const labels = Array.isArray(body.labels) ? body.labels.map((l: unknown) => (typeof l === 'string' ? l : String((l as Json).name))) : [];
          const issue = this.makeIssue(full(ctx), git, { title: body.title, body: typeof body.body === 'string' ? body.body : null, labels });
          return { status: 201, body: issue, headers: { location: issue.url } };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/labels/{name}',
        handler: (ctx) => {
          const git = this.git(ctx);
          const label = git?.labels.find((l) => String(l.name).toLowerCase() === ctx.params.name!.toLowerCase());
          return label ? { status: 200, body: label } : notFound();
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/labels',
        handler: (ctx) => {
          const git = this.git(ctx);
          if (!git) return notFound();
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.name !== 'string' || !body.name.trim()) {
            return validation('Validation Failed', [{ resource: 'Label', code: 'missing_field', field: 'name' }]);
          }
          if (git.labels.some((l) => String(l.name).toLowerCase() === body.name.toLowerCase())) {
            return validation('Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
          }
          const color = typeof body.color === 'string' ? body.color.replace(/^#/, '') : 'ededed';
          const label = this.labelObject(full(ctx), git, body.name, color, typeof body.description === 'string' ? body.description : null);
          return { status: 201, body: label, headers: { location: label.url } };
        },
      },
    ];
  }
}

/** Registers the repository routes on `double`; answers are recorded in the returned double's `responses`. */
export function installRepoRoutes(double: GitHubDouble, opts: RepoRoutesOptions = {}): RepoDouble {
  const repos = new RepoDouble(double, opts);
  for (const def of repos.routes()) {
    const key = `${def.method} ${def.path}`;
    double.route({
      ...def,
      handler: async (ctx) => {
        const answer = await def.handler(ctx);
        repos.responses.push({ route: key, method: def.method, path: def.path, status: answer.status, body: structuredClone(answer.body) });
        return answer;
      },
    });
  }
  return repos;
}

/** Problems of recorded answers against GitHub's OpenAPI description (undocumented statuses included). */
export function openapiProblems(responses: readonly RecordedResponse[]): string[] {
  const problems: string[] = [];
  for (const r of responses) {
    let schema;
    try {
      schema = responseSchema(r.method, r.path, String(r.status));
    } catch (err) {
      problems.push(`${r.route} → ${r.status}: ${(err as Error).message}`);
      continue;
    }
    for (const p of checkSchema(schema, r.body)) problems.push(`${r.route} → ${r.status}: ${p}`);
  }
  return [...new Set(problems)];
}
