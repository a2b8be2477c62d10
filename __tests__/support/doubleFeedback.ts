/**
 * The GitHub routes mode feedback uses, on top of the repository routes (doubleRepo.ts): comments on issues
 * (list, create; a PR's conversation comments included), a collaborator's permission, and pull requests opened
 * and updated from a branch of the repository (pulls create, update; the list's `head` filter lives in
 * githubDouble.ts). GitHub's behaviours that matter: `POST /pulls` for a head that already has an open PR →
 * 422 "A pull request already exists for owner:branch."; for a head equal to the base → 422 "No commits
 * between"; a user who is no collaborator gets `permission: none` (public repositories: `read`).
 * Answers are kept in `repos.responses`, so the OpenAPI check covers them.
 */
import { paginated, restUser, type GitHubDouble, type Json, type RouteContext, type RouteDef, type RouteResponse } from './githubDouble.js';
import type { RepoDouble } from './doubleRepo.js';

export const FEEDBACK_ROUTES = {
  listComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  createComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  permission: 'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  createPull: 'POST /repos/{owner}/{repo}/pulls',
  updatePull: 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
} as const;

const DOCS = 'https://docs.github.com/rest';
const API = 'https://api.github.com';

function validation(message: string): RouteResponse {
  return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }], documentation_url: DOCS, status: '422' } };
}

export class FeedbackDouble {
  private readonly comments = new Map<string, Json[]>(); // repo#number → comments made through the API
  private readonly permissions = new Map<string, string>(); // repo:login → admin|maintain|write|triage|read|none
  private clock = 0;

  constructor(
    readonly double: GitHubDouble,
    readonly repos: RepoDouble,
  ) {}

  /** Sets `login`'s role on `fullName`: admin, maintain, write, triage, read or none (the default). */
  setPermission(fullName: string, login: string, role: string): void {
    this.permissions.set(`${fullName}:${login}`.toLowerCase(), role);
  }

  /** Comments on an issue or PR made through the API (and by {@link addComment}). */
  commentsOn(fullName: string, number: number): Json[] {
    return this.comments.get(`${fullName}#${number}`.toLowerCase()) ?? [];
  }

  /** A comment as if `login` wrote it; returns the REST object (the event's `comment`). */
  addComment(fullName: string, number: number, login: string, body: string, association = 'MEMBER'): Json {
    const c = this.comment(fullName, number, login, body, association);
    const key = `${fullName}#${number}`.toLowerCase();
    this.comments.set(key, [...(this.comments.get(key) ?? []), c]);
    return c;
  }

  private comment(fullName: string, number: number, login: string, body: string, association: string): Json {
    const id = this.double.newId();
    const at = new Date(Date.parse('2026-03-16T09:00:00Z') + 60_000 * this.clock++).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id,
      node_id: `IC_${Buffer.from(String(id)).toString('base64url')}`,
      url: `${API}/repos/${fullName}/issues/comments/${id}`,
      html_url: `https://github.com/${fullName}/issues/${number}#issuecomment-${id}`,
      issue_url: `${API}/repos/${fullName}/issues/${number}`,
      body,
      user: restUser(login, login.endsWith('[bot]') ? { type: 'Bot' } : {}),
      created_at: at,
      updated_at: at,
      author_association: association,
      performed_via_github_app: null,
    };
  }

  private full(ctx: RouteContext): string | null {
    const r = this.double.repo(ctx.params.owner!, ctx.params.repo!);
    return r ? `${r.owner}/${r.name}` : null;
  }

  private issueExists(full: string, n: number): boolean {
    return this.repos.issues(full).some((i) => i.number === n) || Boolean(this.double.repo(full.split('/')[0]!, full.split('/')[1]!)?.pulls.has(n));
  }

  routes(): RouteDef[] {
    return [
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        handler: (ctx) => {
          const full = this.full(ctx);
          const n = Number(ctx.params.issue_number);
          if (!full || !this.issueExists(full, n)) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
          const pr = this.double.repo(ctx.params.owner!, ctx.params.repo!)!.pulls.get(n);
          const all = [...(pr?.issueComments ?? []), ...this.commentsOn(full, n)].sort((a, b) => Number(a.id) - Number(b.id));
          return paginated(ctx, all);
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
        handler: (ctx) => {
          const full = this.full(ctx);
          const n = Number(ctx.params.issue_number);
          if (!full || !this.issueExists(full, n)) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.body !== 'string' || !body.body.trim()) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], documentation_url: DOCS, status: '422' } };
          if ([...body.body].length > 65_536) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }], documentation_url: DOCS, status: '422' } };
          const c = this.addComment(full, n, 'github-actions[bot]', body.body, 'NONE');
          return { status: 201, body: c, headers: { location: c.url } };
        },
      },
      {
        method: 'GET',
        path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
        handler: (ctx) => {
          const full = this.full(ctx);
          if (!full) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
          const login = ctx.params.username!;
          const role = this.permissions.get(`${full}:${login}`.toLowerCase()) ?? 'none';
          const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
          const flags = { admin: role === 'admin', maintain: ['admin', 'maintain'].includes(role), push: ['admin', 'maintain', 'write'].includes(role), triage: role !== 'read' && role !== 'none', pull: role !== 'none' };
          return { status: 200, body: { permission, role_name: role, user: { ...restUser(login), permissions: flags, role_name: role } } };
        },
      },
      {
        method: 'POST',
        path: '/repos/{owner}/{repo}/pulls',
        handler: (ctx) => {
          const full = this.full(ctx);
          if (!full) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
          const body = (ctx.body ?? {}) as Json;
          const head = String(body.head ?? '').replace(/^[^:]+:/, '');
          const base = String(body.base ?? '');
          const headSha = this.repos.branchSha(full, head);
          const baseSha = this.repos.branchSha(full, base);
          if (typeof body.title !== 'string' || !headSha || !baseSha) return validation(`head or base is not a branch of ${full}`);
          if (headSha === baseSha) return validation(`No commits between ${base} and ${head}`);
          const repoState = this.double.repo(ctx.params.owner!, ctx.params.repo!)!;
          const open = [...repoState.pulls.values()].find((p) => p.pull.state === 'open' && p.pull.head.ref === head);
          if (open) return validation(`A pull request already exists for ${repoState.owner}:${head}.`);
          const issue = this.repos.addIssue(full, { title: body.title, body: body.body ?? null, pull: true, user: 'github-actions[bot]' });
          const n = Number(issue.number);
          const at = String(issue.created_at);
          const state = this.double.addPull(full, {
            number: n,
            title: body.title,
            body: typeof body.body === 'string' ? body.body : null,
            merged: false,
            user: restUser('github-actions[bot]', { type: 'Bot' }),
          });
          const pull = state.pull;
          Object.assign(pull, { state: 'open', closed_at: null, merged_at: null, merged: false, merged_by: null, created_at: at, updated_at: at, draft: false, mergeable: null, mergeable_state: 'unknown', merge_commit_sha: null });
          pull.head = { ...pull.head, ref: head, sha: headSha, label: `${repoState.owner}:${head}`, user: repoState.repo.owner };
          pull.base = { ...pull.base, ref: base, sha: baseSha, label: `${repoState.owner}:${base}`, user: repoState.repo.owner };
          return { status: 201, body: pull, headers: { location: pull.url } };
        },
      },
      {
        method: 'PATCH',
        path: '/repos/{owner}/{repo}/pulls/{pull_number}',
        handler: (ctx) => {
          const pr = this.double.repo(ctx.params.owner!, ctx.params.repo!)?.pulls.get(Number(ctx.params.pull_number));
          if (!pr) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
          const body = (ctx.body ?? {}) as Json;
          if (typeof body.title === 'string') pr.pull.title = body.title;
          if (typeof body.body === 'string') pr.pull.body = body.body;
          if (body.state === 'closed' || body.state === 'open') pr.pull.state = body.state;
          return { status: 200, body: pr.pull };
        },
      },
    ];
  }
}

/** Registers the feedback routes; answers are recorded in `repos.responses` (checked against OpenAPI). */
export function installFeedbackRoutes(double: GitHubDouble, repos: RepoDouble): FeedbackDouble {
  const fb = new FeedbackDouble(double, repos);
  for (const def of fb.routes()) {
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
  return fb;
}
