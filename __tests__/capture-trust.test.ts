/** Untrusted accounts cannot launder text into lessons through AI-reviewer names or thread resolution. */
import { describe, expect, it } from '@jest/globals';
import { parsePrBundle } from '../src/capture/bundle.js';
import { extractLessons } from '../src/capture/extract.js';

const POINT = 'Always use `git -C dir` instead of `cd dir && git` in scripts, so a failed cd cannot run git elsewhere.';

function bundle(opts: { reviewer: { login: string; type: string }; resolvedBy: string; memberComment?: boolean }) {
  const comments: unknown[] = [
    {
      id: 5_000_000_001,
      node_id: 'PRRC_1',
      user: opts.reviewer,
      body: POINT,
      path: 'scripts/release.sh',
      line: 3,
      created_at: '2026-03-01T09:00:00Z',
      html_url: 'https://github.com/acme/app/pull/7#discussion_r5000000001',
      author_association: 'NONE',
    },
  ];
  if (opts.memberComment) {
    comments.push({
      id: 5_000_000_002,
      user: { login: 'maintainer', type: 'User' },
      body: 'Looks fine to me overall.',
      path: 'README.md',
      line: 1,
      created_at: '2026-03-01T09:30:00Z',
      html_url: 'https://github.com/acme/app/pull/7#discussion_r5000000002',
      author_association: 'MEMBER',
    });
  }
  return parsePrBundle(
    {
      pull_request: {
        number: 7,
        html_url: 'https://github.com/acme/app/pull/7',
        user: { login: 'mallory', type: 'User' },
        author_association: 'NONE',
        merged_at: '2026-03-02T00:00:00Z',
        base: { repo: { full_name: 'acme/app' } },
      },
      review_comments: comments,
      review_threads: [
        { id: 'PRRT_1', is_resolved: true, is_outdated: false, resolved_by: opts.resolvedBy, comments: [{ id: 5_000_000_001 }] },
      ],
    },
    'test',
  );
}

const capture = (b: ReturnType<typeof bundle>) => extractLessons(b, { now: '2026-03-03T00:00:00Z' });

describe('trust', () => {
  it('a plain user account named like an AI reviewer is an untrusted human, not an AI reviewer', () => {
    const result = capture(bundle({ reviewer: { login: 'cursor', type: 'User' }, resolvedBy: 'mallory' }));
    expect(result.lessons).toEqual([]);
    expect(result.skipped.map((s) => s.reason).join(' | ')).toMatch(/trust|untrusted|association/i);
  });

  it("an AI reviewer's point resolved only by an untrusted PR author is not a lesson", () => {
    const result = capture(bundle({ reviewer: { login: 'cursor[bot]', type: 'Bot' }, resolvedBy: 'mallory' }));
    expect(result.lessons).toEqual([]);
    expect(result.skipped.map((s) => s.reason).join(' | ')).toMatch(/without evidence that a trusted human acted/);
  });

  it('the same point resolved by a maintainer (a MEMBER elsewhere in the PR) becomes a cross-model lesson', () => {
    const result = capture(bundle({ reviewer: { login: 'cursor[bot]', type: 'Bot' }, resolvedBy: 'maintainer', memberComment: true }));
    expect(result.lessons).toHaveLength(1);
    expect(result.lessons[0]!.lesson).toMatchObject({ source: 'cross-model', confidence: 8, source_bot: 'cursor' });
  });
});
