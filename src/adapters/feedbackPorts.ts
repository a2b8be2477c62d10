/** The ports of mode feedback (and the digest's decisions), over GitHub or local files, wrapped for a dry run. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ActionContext } from '../action/context.js';
import type { ActionInputs } from '../action/inputs.js';
import { githubConventionsRepo, githubDigestThread } from '../github/conventionsPr.js';
import type { MyceliumOctokit } from '../github/octokit.js';
import { RepoStateBranch } from '../github/repoState.js';
import type { ConventionsRepo, DecisionsFile, DigestThread, FeedbackPorts, Logger } from '../ports/index.js';
import { writeFileAtomic } from './files.js';

export const DECISIONS_FILE = 'decisions.json';

/** `decisions.json` on the state branch, beside the watermark. */
export function repoDecisionsFile(branch: RepoStateBranch, path: string = DECISIONS_FILE): DecisionsFile {
  return {
    describe: branch.where(path),
    read: () => branch.read(path),
    update: (change) => branch.update(path, change, `mycelium: record decisions in ${path} [skip ci]`),
  };
}

/** `decisions.json` in a local folder (storage: file, the CLI). */
export function fileDecisionsFile(path: string): DecisionsFile {
  const read = async (): Promise<string | null> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };
  return {
    describe: path,
    read,
    async update(change) {
      const current = await read();
      const next = change(current);
      if (next !== current) await writeFileAtomic(path, next);
    },
  };
}

export function dryRunDecisionsFile(inner: DecisionsFile, log: Logger): DecisionsFile {
  return {
    describe: inner.describe,
    read: () => inner.read(),
    async update(change) {
      const next = change(await inner.read());
      log.info(`dry-run: would write ${inner.describe} (${next.length} characters)`);
    },
  };
}

export function dryRunThread(inner: DigestThread, log: Logger): DigestThread {
  return {
    permission: (login) => inner.permission(login),
    commentBodies: (issue) => inner.commentBodies(issue),
    async reply(issue, body) {
      log.info(`dry-run: would reply on issue #${issue} (${body.length} characters)`);
      return null;
    },
  };
}

export function dryRunConventions(inner: ConventionsRepo, log: Logger): ConventionsRepo {
  return {
    branch: inner.branch,
    read: (path) => inner.read(path),
    async propose(change) {
      log.info(`dry-run: would commit ${change.path} to ${inner.branch} and open or update its pull request "${change.title}"`);
      return { action: 'dry-run', number: null, url: null };
    },
  };
}

export function feedbackPorts(inputs: ActionInputs, ctx: ActionContext, octokit: MyceliumOctokit, log: Logger): FeedbackPorts {
  const { owner, repo } = ctx;
  const decisions =
    inputs.storage === 'file'
      ? fileDecisionsFile(join(dirname(inputs['db-path']), DECISIONS_FILE))
      : repoDecisionsFile(new RepoStateBranch(octokit, { owner, repo, branch: inputs['state-branch'], log }));
  const thread = githubDigestThread(octokit, { owner, repo });
  const conventions = githubConventionsRepo(octokit, { owner, repo, branch: inputs['conventions-branch'], log });
  const base = { event: { name: ctx.eventName, payload: ctx.payload }, serverUrl: ctx.serverUrl, conventionsFile: inputs['conventions-file'] };
  if (!inputs['dry-run']) return { ...base, decisions, thread, conventions };
  return { ...base, decisions: dryRunDecisionsFile(decisions, log), thread: dryRunThread(thread, log), conventions: dryRunConventions(conventions, log) };
}
