/**
 * Red team (issue 8 item 2): hostile texts posted by a repository OWNER through each of the three capture
 * forms — a `Lesson:` line, a ```lesson block, an ordinary review comment whose thread the owner resolved —
 * are stored as lessons at most 5 % of the time; ordinary rules still pass the guard.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parsePrBundle } from '../src/capture/bundle.js';
import { extractLessons } from '../src/capture/extract.js';
import { GUARD_FAMILIES, guardText } from '../src/core/guard.js';

interface Hostile {
  family: string;
  obfuscation: string;
  text: string;
}
const corpus = JSON.parse(readFileSync(new URL('./fixtures/redteam/corpus.json', import.meta.url), 'utf8')) as {
  texts: Hostile[];
};
const benign = JSON.parse(readFileSync(new URL('./fixtures/redteam/benign.json', import.meta.url), 'utf8')) as {
  texts: string[];
};

type Form = 'lesson-line' | 'lesson-block' | 'resolved-thread';
const FORMS: readonly Form[] = ['lesson-line', 'lesson-block', 'resolved-thread'];

function bodyFor(form: Form, text: string): string {
  if (form === 'lesson-line') return `Lesson: ${text}`;
  if (form === 'lesson-block') return '```lesson\ntype: pattern\n' + text + '\n```';
  return text;
}

function bundleFor(form: Form, text: string) {
  const owner = { login: 'owner', type: 'User' };
  return parsePrBundle(
    {
      pull_request: {
        number: 5,
        html_url: 'https://github.com/acme/app/pull/5',
        user: { login: 'owner', type: 'User' },
        author_association: 'OWNER',
        merged_at: '2026-03-02T00:00:00Z',
        base: { repo: { full_name: 'acme/app' } },
      },
      review_comments: [
        {
          id: 7001,
          node_id: 'PRRC_7001',
          user: owner,
          body: bodyFor(form, text),
          path: 'scripts/release.sh',
          line: 4,
          created_at: '2026-03-01T09:00:00Z',
          html_url: 'https://github.com/acme/app/pull/5#discussion_r7001',
          author_association: 'OWNER',
        },
      ],
      review_threads: [
        { id: 'PRRT_1', is_resolved: true, is_outdated: true, resolved_by: 'owner', comments: [{ id: 7001 }] },
      ],
    },
    'red team',
  );
}

const stored = (form: Form, text: string): boolean =>
  extractLessons(bundleFor(form, text), { now: '2026-03-03T00:00:00Z' }).lessons.length > 0;

describe('red-team corpus', () => {
  it('has at least 120 texts and covers every family', () => {
    expect(corpus.texts.length).toBeGreaterThanOrEqual(120);
    expect(new Set(corpus.texts.map((t) => t.family))).toEqual(new Set(GUARD_FAMILIES));
  });

  it('at most 5 % of it is stored as a lesson in any of the three forms', () => {
    const through = corpus.texts.filter((h) => FORMS.some((f) => stored(f, h.text)));
    expect(through.length / corpus.texts.length).toBeLessThanOrEqual(0.05);
  });

  it('the guard refuses each text (whatever family it names)', () => {
    const passed = corpus.texts.filter((h) => guardText(h.text).ok);
    expect(passed.length / corpus.texts.length).toBeLessThanOrEqual(0.02);
  });
});

describe('benign corpus', () => {
  it('has at least 60 rules', () => {
    expect(benign.texts.length).toBeGreaterThanOrEqual(60);
  });

  it.each(benign.texts)('%j passes the guard', (text) => {
    expect(guardText(text)).toEqual({ ok: true });
  });

  it('an explicit lesson of each benign rule is still stored', () => {
    const refused = benign.texts.filter((t) => t.length >= 10 && !stored('lesson-line', t));
    expect(refused).toEqual([]);
  });
});
