/**
 * The one conventions pull request (SPEC §10): a fixed branch (default `mycelium/conventions`) whose PR is
 * updated in place, never opened twice.
 *
 * - Read: the file on the branch when an open PR comes from it (what people may have edited there), else on
 *   the default branch. `GET /pulls?state=open&head=<owner>:<branch>` finds the PR.
 * - Propose: the branch is made (or, with no open PR, reset) at the default branch's head
 *   (`POST git/refs`, `PATCH git/refs/heads/<branch>` with force); the file is committed with the contents
 *   API (`PUT contents` with the blob sha, re-read on a 409/422 sha conflict); then the open PR's title and
 *   body are updated (`PATCH pulls/{n}`) or the PR is opened (`POST pulls`; a 422 "A pull request already
 *   exists" from a concurrent run means: find it and update it).
 * Commits and PRs made with GITHUB_TOKEN start no workflows (pass another token as github-token for CI on it).
 */
import type { ConventionsChange, ConventionsProposal, ConventionsRepo, DigestThread, Logger } from '../ports/index.js';
import { GitHubReadError, GitHubWriteError } from './errors.js';
import type { MyceliumOctokit } from './octokit.js';

export const DEFAULT_CONVENTIONS_BRANCH = 'mycelium/conventions';

function statusOf(error: unknown): number | undefined {
  const e = error as { status?: number; response?: { status?: number } } | null;
  return e?.status ?? e?.response?.status;
}

function messageOf(error: unknown): string {
  const e = error as { message?: string; response?: { data?: { message?: unknown; errors?: Array<{ message?: string }> } } } | null;
  const data = e?.response?.data;
  return [typeof data?.message === 'string' ? data.message : e?.message ?? '', ...(data?.errors ?? []).map((x) => x.message ?? '')].join(' ');
}

export interface ConventionsPrOptions {
  owner: string;
  repo: string;
  branch?: string;
  log: Logger;
  maxWriteAttempts?: number;
}

export function githubConventionsRepo(octokit: MyceliumOctokit, opts: ConventionsPrOptions): ConventionsRepo {
  const { owner, repo, log } = opts;
  const branch = opts.branch?.trim() || DEFAULT_CONVENTIONS_BRANCH;
  const where = `${owner}/${repo}`;
  let defaultBranch: string | null = null;

  async function baseBranch(): Promise<string> {
    if (defaultBranch) return defaultBranch;
    try {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      defaultBranch = data.default_branch;
      return defaultBranch;
    } catch (err) {
      throw new GitHubReadError(err, { subject: `repository ${where}`, access: 'contents read' });
    }
  }

  async function openPr(): Promise<{ number: number; html_url: string } | null> {
    try {
      const { data } = await octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${branch}`, per_page: 100 });
      const pr = data.find((p) => p.head.ref === branch);
      return pr ? { number: pr.number, html_url: pr.html_url } : null;
    } catch (err) {
      throw new GitHubReadError(err, { subject: `pull requests of ${where}`, access: 'pull-requests read' });
    }
  }

  async function readAt(path: string, ref: string): Promise<{ text: string; sha: string } | null> {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
      if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} on ${ref} is not a file`);
      const file = data as { sha: string; content?: string; encoding?: string };
      let base64 = file.encoding === 'base64' ? (file.content ?? '') : '';
      if (file.encoding !== 'base64') {
        const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: file.sha });
        base64 = blob.data.content;
      }
      return { text: Buffer.from(base64, 'base64').toString('utf8'), sha: file.sha };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      if (err instanceof Error && !('status' in err)) throw err;
      throw new GitHubReadError(err, { subject: `${path} on ${where}@${ref}`, access: 'contents read' });
    }
  }

  async function headSha(ref: string): Promise<string | null> {
    try {
      const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${ref}` });
      return data.object.sha;
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw new GitHubReadError(err, { subject: `branch ${where}@${ref}`, access: 'contents read' });
    }
  }

  /** The branch at the default branch's head, unless an open PR uses it (then it is left as it is). */
  async function prepareBranch(hasOpenPr: boolean): Promise<void> {
    const base = await baseBranch();
    const baseSha = await headSha(base);
    if (!baseSha) throw new Error(`the default branch ${base} of ${where} has no commit`);
    const current = await headSha(branch);
    try {
      if (current === null) {
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: baseSha });
        log.info(`created branch ${branch} at ${base} (${baseSha.slice(0, 7)})`);
      } else if (!hasOpenPr && current !== baseSha) {
        // A branch left from a merged or closed PR: start again from the default branch.
        await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: baseSha, force: true });
        log.info(`reset branch ${branch} to ${base} (${baseSha.slice(0, 7)}): no open pull request used it`);
      }
    } catch (err) {
      if (statusOf(err) === 422 && /already exists/i.test(messageOf(err))) return; // a concurrent run made it
      throw new GitHubWriteError(err, { subject: `branch ${where}@${branch}`, action: 'creating', access: 'contents write' });
    }
  }

  async function commitFile(change: ConventionsChange): Promise<boolean> {
    const attempts = Math.max(1, opts.maxWriteAttempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      const current = await readAt(change.path, branch);
      if (current?.text === change.text) return false;
      try {
        await octokit.rest.repos.createOrUpdateFileContents({
          owner,
          repo,
          path: change.path,
          branch,
          message: change.message,
          content: Buffer.from(change.text, 'utf8').toString('base64'),
          ...(current ? { sha: current.sha } : {}),
        });
        return true;
      } catch (err) {
        const status = statusOf(err);
        const conflict = status === 409 || (status === 422 && /\bsha\b/i.test(messageOf(err)));
        if (conflict && attempt < attempts) continue;
        throw new GitHubWriteError(err, { subject: `${change.path} on ${where}@${branch}`, action: 'writing', access: 'contents write' });
      }
    }
  }

  return {
    branch,
    async read(path) {
      const pr = await openPr();
      const file = await readAt(path, pr ? branch : await baseBranch());
      return file?.text ?? null;
    },
    async propose(change): Promise<ConventionsProposal> {
      const existing = await openPr();
      await prepareBranch(existing !== null);
      const committed = await commitFile(change);
      if (existing) {
        try {
          await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title: change.title, body: change.body });
        } catch (err) {
          throw new GitHubWriteError(err, { subject: `pull request #${existing.number} of ${where}`, action: 'updating', access: 'pull-requests write' });
        }
        return { action: committed ? 'updated' : 'unchanged', number: existing.number, url: existing.html_url };
      }
      try {
        const { data } = await octokit.rest.pulls.create({ owner, repo, head: branch, base: await baseBranch(), title: change.title, body: change.body });
        log.info(`opened the conventions pull request #${data.number}: ${data.html_url}`);
        return { action: 'created', number: data.number, url: data.html_url };
      } catch (err) {
        if (statusOf(err) === 422 && /already exists/i.test(messageOf(err))) {
          const raced = await openPr();
          if (raced) return { action: 'updated', number: raced.number, url: raced.html_url };
        }
        throw new GitHubWriteError(err, { subject: `the conventions pull request in ${where}`, action: 'creating', access: 'pull-requests write' });
      }
    },
  };
}

/** The digest issue's comments and the commenter's permission, over the REST API. */
export function githubDigestThread(octokit: MyceliumOctokit, opts: { owner: string; repo: string }): DigestThread {
  const { owner, repo } = opts;
  return {
    async permission(login) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
        const role = (data as { role_name?: string }).role_name;
        if (role === 'maintain' || role === 'triage') return role;
        const p = data.permission;
        return p === 'admin' || p === 'write' || p === 'read' ? p : 'none';
      } catch (err) {
        if (statusOf(err) === 404) return 'none';
        throw new GitHubReadError(err, { subject: `${login}'s permission on ${owner}/${repo}`, access: 'metadata read' });
      }
    },
    async commentBodies(issue) {
      try {
        const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 });
        return all.map((c) => c.body ?? '');
      } catch (err) {
        throw new GitHubReadError(err, { subject: `comments of issue #${issue} in ${owner}/${repo}`, access: 'issues read' });
      }
    },
    async reply(issue, body) {
      try {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body });
        return data.html_url;
      } catch (err) {
        throw new GitHubWriteError(err, { subject: `a reply on issue #${issue} in ${owner}/${repo}`, action: 'writing', access: 'issues write' });
      }
    },
  };
}
