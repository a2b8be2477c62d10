/**
 * Posts the weekly DigestReport as an issue, once (docs/architecture.md, data flow).
 *
 * Finding an earlier post of the same digest: `GET /repos/{o}/{r}/issues?state=all&labels=<first label>
 * [&creator=<login>]&sort=created&direction=desc`, paginated with `octokit.paginate.iterator` (stopping
 * at the first match), keeping issues (not PRs) whose body's first line is exactly the digest marker
 * `<!-- mycelium-digest:<id> -->`. The issues list is used rather than the search API because search is
 * eventually consistent (an issue created seconds ago may not be found yet — exactly the re-run case)
 * and has a much lower rate limit. Without labels the list is not filtered by label (slower, still
 * correct). The marker cannot be faked through lesson text: the body renderer escapes every `<`.
 *
 * Creating: labels are made first when missing (`GET .../labels/{name}`, `POST .../labels`; a 422
 * `already_exists` from a concurrent run is fine), then `POST .../issues`. That POST is not retried
 * blindly (plugin-retry is off for it): GitHub can create an issue and still answer 5xx, so after a
 * failure we look for the marker again, and only post again when the issue is really not there.
 */
import { renderDigestIssue, bodyHasDigestMarker, digestId, type ProvenanceMap } from '../core/digestIssue.js';
import type { DigestReport } from '../core/distill.js';
import type { DigestPublisher, Logger, PublishResult } from '../ports/index.js';
import { GitHubReadError, GitHubWriteError } from './errors.js';
import type { MyceliumOctokit } from './octokit.js';

export const DEFAULT_DIGEST_LABELS: readonly string[] = ['mycelium'];

export interface PublishDigestOptions {
  owner: string;
  repo: string;
  report: DigestReport;
  provenance?: ProvenanceMap;
  /** Labels put on the issue; the first also narrows the search for an earlier post. */
  labels: readonly string[];
  log: Logger;
  /** When set, only issues opened by this login count as earlier posts (e.g. `github-actions[bot]`). */
  creator?: string;
  /** Web root for links (default `https://github.com`). */
  serverUrl?: string;
  /** Where the full report is (the workflow run URL), linked when the JSON does not fit the body. */
  reportUrl?: string;
  /** The conventions file accepted rules go to, named in the issue's instructions (default `AGENTS.md`). */
  conventionsFile?: string;
  /** Attempts at `POST /issues` on 5xx/network errors, each preceded by a fresh lookup (default 3). */
  createAttempts?: number;
  /** Wait before attempt n+1: `n² × this` ms (default 1000; tests pass 0). */
  createRetryBaseMs?: number;
}

export type { PublishAction, PublishResult } from '../ports/index.js';

const LABEL_COLOR = '5319e7';
const LABEL_DESCRIPTION = 'Skill candidates distilled from code review by Mycelium';

function statusOf(error: unknown): number | undefined {
  const e = error as { status?: number; response?: { status?: number } } | null;
  return e?.status ?? e?.response?.status;
}

function alreadyExists(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: { errors?: Array<{ code?: string }> } } }).response?.data;
  return (data?.errors ?? []).some((e) => e.code === 'already_exists');
}

/** A label usable in the list filter (`labels` is comma-separated there). */
function lookupLabel(labels: readonly string[]): string | undefined {
  const first = labels[0]?.trim();
  return first && !first.includes(',') ? first : undefined;
}

export interface FoundIssue {
  number: number;
  html_url: string;
  state: string;
}

/** The earlier issue carrying this digest's marker, or null. See the module comment. */
export async function findDigestIssue(
  octokit: MyceliumOctokit,
  opts: { owner: string; repo: string; digestId: string; label?: string; creator?: string },
): Promise<FoundIssue | null> {
  const iterator = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    owner: opts.owner,
    repo: opts.repo,
    state: 'all',
    sort: 'created',
    direction: 'desc',
    per_page: 100,
    ...(opts.label ? { labels: opts.label } : {}),
    ...(opts.creator ? { creator: opts.creator } : {}),
  });
  const creator = opts.creator?.toLowerCase();
  for await (const page of iterator) {
    for (const issue of page.data) {
      if (issue.pull_request) continue;
      if (creator && issue.user?.login.toLowerCase() !== creator) continue;
      if (bodyHasDigestMarker(issue.body, opts.digestId)) return { number: issue.number, html_url: issue.html_url, state: issue.state };
    }
  }
  return null;
}

async function ensureLabels(octokit: MyceliumOctokit, owner: string, repo: string, labels: readonly string[], log: Logger): Promise<void> {
  for (const name of labels) {
    const subject = `label '${name}' in ${owner}/${repo}`;
    try {
      await octokit.rest.issues.getLabel({ owner, repo, name });
      continue;
    } catch (err) {
      if (statusOf(err) !== 404) throw new GitHubReadError(err, { subject, access: 'issues read' });
    }
    try {
      await octokit.rest.issues.createLabel({ owner, repo, name, color: LABEL_COLOR, description: LABEL_DESCRIPTION });
      log.info(`created label '${name}'`);
    } catch (err) {
      if (!alreadyExists(err)) throw new GitHubWriteError(err, { subject, action: 'creating', access: 'issues write' });
    }
  }
}

/** 5xx or no answer at all: the POST may or may not have landed. */
function outcomeUnknown(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export async function publishDigest(octokit: MyceliumOctokit, opts: PublishDigestOptions): Promise<PublishResult> {
  const { owner, repo, report, log } = opts;
  if (report.candidate_count === 0 || report.candidates.length === 0) {
    log.info('no new skill candidates: no digest issue posted');
    return { action: 'skipped-empty', digestId: null, title: null, issueNumber: null, issueUrl: null };
  }
  const issue = renderDigestIssue(report, {
    repository: `${owner}/${repo}`,
    ...(opts.provenance ? { provenance: opts.provenance } : {}),
    ...(opts.serverUrl ? { serverUrl: opts.serverUrl } : {}),
    ...(opts.reportUrl ? { reportUrl: opts.reportUrl } : {}),
    ...(opts.conventionsFile ? { conventionsFile: opts.conventionsFile } : {}),
  });
  const labels = [...new Set(opts.labels.map((l) => l.trim()).filter((l) => l.length > 0))];
  const label = lookupLabel(labels);
  const find = async (): Promise<FoundIssue | null> => {
    try {
      return await findDigestIssue(octokit, { owner, repo, digestId: issue.digestId, ...(label ? { label } : {}), ...(opts.creator ? { creator: opts.creator } : {}) });
    } catch (err) {
      throw new GitHubReadError(err, { subject: `issues of ${owner}/${repo} (looking for digest ${issue.digestId})`, access: 'issues read' });
    }
  };
  const base = { digestId: issue.digestId, title: issue.title };

  const existing = await find();
  if (existing) {
    log.info(`digest ${issue.digestId} was already posted as #${existing.number} (${existing.state}): not posting it again`);
    return { ...base, action: 'existing', issueNumber: existing.number, issueUrl: existing.html_url };
  }

  await ensureLabels(octokit, owner, repo, labels, log);
  const attempts = Math.max(1, opts.createAttempts ?? 3);
  const baseMs = opts.createRetryBaseMs ?? 1000;
  const subject = `the digest issue in ${owner}/${repo}`;
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: issue.title,
        body: issue.body,
        labels,
        // Not retried by plugin-retry: a 5xx can hide a created issue, see below.
        request: { retries: 0 },
      });
      log.info(`created digest issue #${data.number}: ${data.html_url}`);
      return { ...base, action: 'created', issueNumber: data.number, issueUrl: data.html_url };
    } catch (err) {
      if (!outcomeUnknown(err) || attempt >= attempts) {
        throw new GitHubWriteError(err, { subject, action: 'creating', access: 'issues write' });
      }
      log.warning(`creating ${subject} failed (${statusOf(err) ?? 'no answer'}); checking whether it was created anyway (attempt ${attempt}/${attempts})`);
      await sleep(attempt * attempt * baseMs);
      const landed = await find();
      if (landed) {
        log.info(`digest ${issue.digestId} was created as #${landed.number} despite the error`);
        return { ...base, action: 'existing', issueNumber: landed.number, issueUrl: landed.html_url };
      }
    }
  }
}

/** The digest publisher port over GitHub issues (see the module comment). */
export function githubDigestPublisher(
  octokit: MyceliumOctokit,
  target: Omit<PublishDigestOptions, 'report' | 'provenance' | 'reportUrl'>,
): DigestPublisher {
  const label = lookupLabel(target.labels.map((l) => l.trim()).filter((l) => l.length > 0));
  return {
    async findPosted(report) {
      if (report.candidate_count === 0 || report.candidates.length === 0) return null;
      const id = digestId(report);
      try {
        const found = await findDigestIssue(octokit, { owner: target.owner, repo: target.repo, digestId: id, ...(label ? { label } : {}), ...(target.creator ? { creator: target.creator } : {}) });
        return found ? { number: found.number, url: found.html_url } : null;
      } catch (err) {
        throw new GitHubReadError(err, { subject: `issues of ${target.owner}/${target.repo} (looking for digest ${id})`, access: 'issues read' });
      }
    },
    publish: (report, extras) => publishDigest(octokit, { ...target, report, ...extras }),
  };
}
