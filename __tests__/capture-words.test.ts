/** Stored insights keep the reviewer's words: mentions, placeholders, `:word:`, generics and code as written. */
import { describe, expect, it } from '@jest/globals';
import { parsePrBundle } from '../src/capture/bundle.js';
import { extractLessons } from '../src/capture/extract.js';

function captureOne(body: string, path = 'src/app.py'): string[] {
  const bundle = parsePrBundle(
    {
      pull_request: { number: 4, html_url: 'https://github.com/o/r/pull/4', title: '', user: null, labels: [], base: { repo: { full_name: 'o/r' } } },
      review_comments: [
        { id: 41, user: { login: 'maint', type: 'User' }, author_association: 'MEMBER', body, path, line: 3, original_line: 3, created_at: '2026-01-01T00:00:00Z', html_url: 'https://github.com/o/r/pull/4#discussion_r41' },
      ],
    },
    'words',
  );
  return extractLessons(bundle, { now: '2026-02-01T00:00:00Z' }).lessons.map((l) => l.lesson.insight);
}

describe('capture keeps the words', () => {
  it.each([
    ['Always pin third-party actions to a full commit SHA, not a tag like @v2.', '@v2'],
    ['Use @pytest.fixture for shared setup instead of setUp methods.', '@pytest.fixture'],
    ['Never echo secrets in workflow logs; mask them with ::add-mask:: first.', '::add-mask::'],
    ['Always keep :warning: markers in the changelog as written.', ':warning:'],
    ['Lesson: Prefer git -C <dir> over cd <dir> && git in scripts.', 'git -C <dir>'],
    ['Lesson: Type public lists as Array<string>, not string[].', 'Array<string>'],
    ['```lesson\nkey: bash-git-dir\ntype: pattern\nUse `git -C <dir>` instead of cd, and type lists as Array<string>.\n```', '`git -C <dir>`'],
    ['```lesson\nkey: ts-generics\ntype: pattern\nUse `git -C <dir>` instead of cd, and type lists as Array<string>.\n```', 'Array<string>'],
  ])('%s keeps %s', (body, kept) => {
    const insights = captureOne(body);
    expect(insights).toHaveLength(1);
    expect(insights[0]).toContain(kept);
  });

  it('still drops HTML tags (their text kept) and a leading address', () => {
    expect(captureOne('@alice, always use <b>parameterized</b> queries instead of string formatting.')).toEqual([
      'Always use parameterized queries instead of string formatting.',
    ]);
  });
});
