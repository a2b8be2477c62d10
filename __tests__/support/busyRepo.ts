/**
 * A busy repository's year in the GitHub double: `count` merged PRs, eight hours apart going back from
 * `end`, each with ~10 review comments in 4 threads, 2 conversation comments and 1 review; every 100th PR
 * (i % 100 == 7) has 30 one-comment threads instead, more than a batch's page of 25, so it is read alone.
 * Most comments are questions, nits and replies (no lesson); every 10th PR states one explicit lesson.
 */
import type { GitHubDouble, Json } from './githubDouble.js';

export interface BusyRepo {
  fullName: string;
  numbers: number[];
  /** PRs with more than one batch page of threads. */
  big: number[];
}

const HOUR = 3_600_000;

function user(login: string, type = 'User'): Json {
  return { login, id: 10_000 + login.length, node_id: `U_${login}`, type };
}

export function seedBusyRepo(double: GitHubDouble, opts: { fullName?: string; count?: number; end?: string } = {}): BusyRepo {
  const fullName = opts.fullName ?? 'acme/busy';
  const count = opts.count ?? 1000;
  const end = Date.parse(opts.end ?? '2026-11-20T00:00:00Z');
  const numbers: number[] = [];
  const big: number[] = [];
  let id = 5_000_000_000; // above 2^31, as GitHub's are
  for (let i = 0; i < count; i++) {
    const n = 1 + i;
    const at = new Date(end - i * 8 * HOUR).toISOString().replace('.000Z', 'Z');
    const isBig = i % 100 === 7;
    const reviewId = id++;
    const comments: Json[] = [];
    const rc = (body: string, who: Json, file: string, replyTo?: number): number => {
      const cid = id++;
      comments.push({
        id: cid,
        node_id: `PRRC_${cid}`,
        pull_request_review_id: reviewId,
        ...(replyTo !== undefined ? { in_reply_to_id: replyTo } : {}),
        user: who,
        body,
        path: file,
        line: 10 + comments.length,
        original_line: 10 + comments.length,
        start_line: null,
        original_start_line: null,
        diff_hunk: '@@ -1,3 +1,4 @@',
        commit_id: 'c'.repeat(40),
        original_commit_id: 'c'.repeat(40),
        created_at: at,
        updated_at: at,
        html_url: `https://github.com/${fullName}/pull/${n}#discussion_r${cid}`,
        author_association: who.login === 'maintainer' ? 'MEMBER' : 'CONTRIBUTOR',
      });
      return cid;
    };
    const maintainer = user('maintainer');
    const author = user(`dev${i % 7}`);
    if (isBig) {
      for (let t = 0; t < 30; t++) rc(`Nit ${t}: this name could be clearer.`, maintainer, `src/file${t}.ts`);
      big.push(n);
    } else {
      const files = ['src/app.ts', '.github/workflows/ci.yml', 'scripts/build.sh', 'README.md'];
      const roots = files.map((file, t) =>
        rc(
          t === 1 && i % 10 === 0
            ? `Lesson: Always pin third-party GitHub Actions to a full commit SHA (seen in PR ${n}).`
            : ['Could you add a test for this case?', 'nit: typo in this name', 'Why is this needed here?', 'Looks good to me.'][t]!,
          maintainer,
          file,
        ),
      );
      for (let r = 0; r < 6; r++) rc(r % 2 ? 'Done, thanks.' : 'Fixed in the next commit.', author, files[r % 4]!, roots[r % 4]);
    }
    const issueComments = [0, 1].map((k) => {
      const cid = id++;
      return {
        id: cid,
        node_id: `IC_${cid}`,
        user: k ? user('ci-bot[bot]', 'Bot') : maintainer,
        body: k ? 'Build passed.' : `Thanks for PR ${n}!`,
        created_at: at,
        updated_at: at,
        html_url: `https://github.com/${fullName}/pull/${n}#issuecomment-${cid}`,
        author_association: k ? 'NONE' : 'MEMBER',
      };
    });
    double.addPull(fullName, {
      number: n,
      user: author,
      review_comments: comments,
      issue_comments: issueComments,
      reviews: [
        {
          id: reviewId,
          node_id: `PRR_${reviewId}`,
          user: maintainer,
          body: '',
          state: 'APPROVED',
          html_url: `https://github.com/${fullName}/pull/${n}#pullrequestreview-${reviewId}`,
          submitted_at: at,
          author_association: 'MEMBER',
          commit_id: 'c'.repeat(40),
        },
      ],
      pullOverrides: { merged_at: at, closed_at: at, updated_at: at },
    });
    numbers.push(n);
  }
  return { fullName, numbers, big };
}
