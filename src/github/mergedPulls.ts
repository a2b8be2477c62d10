import { GitHubReadError } from './errors.js';
import type { MyceliumOctokit } from './octokit.js';

export interface MergedPull {
  number: number;
  merged_at: string;
  /** The REST pull object as listed: enough for readPrBundle's `pull` (saves the PR's own query). */
  pull: Record<string, unknown>;
}

/**
 * Pull requests merged at or after `since` (ISO), newest update first. Listing closed PRs by `updated`
 * descending lets pagination stop at the first page whose last PR was updated before `since`: a PR merged
 * in the window was updated in it too. `onPage` is called once per page fetched (request budgets).
 */
export async function listMergedPullsSince(
  octokit: MyceliumOctokit,
  opts: { owner: string; repo: string; since: string; onPage?: () => void },
): Promise<MergedPull[]> {
  const sinceMs = Date.parse(opts.since);
  try {
    const pulls = await octokit.paginate(
      octokit.rest.pulls.list,
      { owner: opts.owner, repo: opts.repo, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100 },
      (response, done) => {
        opts.onPage?.();
        const last = response.data[response.data.length - 1];
        if (last && Date.parse(last.updated_at) < sinceMs) done();
        return response.data;
      },
    );
    return pulls
      .filter((p): p is typeof p & { merged_at: string } => p.merged_at !== null && Date.parse(p.merged_at) >= sinceMs)
      .map((p) => ({ number: p.number, merged_at: p.merged_at, pull: p }));
  } catch (err) {
    throw new GitHubReadError(err, { subject: `merged PRs of ${opts.owner}/${opts.repo}` });
  }
}
