/** Capture into a real database: idempotency, recurrence, provenance, all-or-nothing CLI input, then distill. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { cli, makeTempDir } from './helpers/fixtures.js';

const REPO = 'acme/app';

function lessonBlock(key: string, insight: string): string {
  return ['Thanks, merged.', '', '```lesson', `key: ${key}`, 'type: pattern', 'skill: bash', insight, '```'].join('\n');
}

/** A merged PR whose one review comment, by a MEMBER, states an explicit lesson. */
function bundle(pr: number, body: string, extra: { label?: string } = {}) {
  return {
    pull_request: {
      number: pr,
      html_url: `https://github.com/${REPO}/pull/${pr}`,
      title: `PR ${pr}`,
      user: { login: 'author', type: 'User' },
      merged_at: '2026-03-01T10:00:00Z',
      labels: extra.label ? [{ name: extra.label }] : [],
      base: { repo: { full_name: REPO } },
    },
    reviews: [],
    review_comments: [
      {
        id: 9_000_000_000 + pr, // review comment ids exceed 2^31
        user: { login: 'maintainer', type: 'User' },
        body,
        path: 'scripts/release.sh',
        line: 3,
        created_at: '2026-03-01T09:00:00Z',
        html_url: `https://github.com/${REPO}/pull/${pr}#discussion_r${9_000_000_000 + pr}`,
        author_association: 'MEMBER',
      },
    ],
    issue_comments: [],
  };
}

const CD_INSIGHTS = [
  'Use git -C <dir> instead of cd <dir> && git in scripts, so a failed cd never runs git in the wrong repository.',
  'Never cd into a directory in scripts before running git: use git -C <dir> so a failed cd cannot run git in the wrong repository.',
  'Prefer git -C <dir> over cd <dir> && git in scripts; when the cd fails, git runs in the wrong repository.',
];

async function dump(db: string): Promise<Record<string, unknown[]>> {
  const SQL = await initSqlJs();
  const d = new SQL.Database(readFileSync(db));
  const out: Record<string, unknown[]> = {};
  for (const table of ['lessons', 'lesson_provenance', 'captured_prs']) {
    out[table] = d.exec(`SELECT * FROM ${table} ORDER BY 1, 2`)[0]?.values ?? [];
  }
  d.close();
  return out;
}

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

function writeBundle(name: string, value: unknown): string {
  const path = join(tmp.dir, 'bundles', name);
  mkdirSync(join(tmp.dir, 'bundles'), { recursive: true });
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('capture into the database', () => {
  it('stores a lesson with provenance; capturing the same PR again changes nothing', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const file = writeBundle('pr-101.json', bundle(101, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)));
    const first = await cli(['capture', '--bundle', file, '--db', db, '--now', '2026-03-02T00:00:00Z']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/acme\/app#101: 1 lessons \(1 new\)/);
    const before = await dump(db);
    expect(before['lessons']).toHaveLength(1);
    expect(before['captured_prs']).toEqual([[REPO, 101, '2026-03-01T10:00:00Z', '2026-03-02T00:00:00Z']]);
    const [provenance] = before['lesson_provenance'] as unknown[][];
    expect(provenance).toEqual(
      expect.arrayContaining([
        `https://github.com/${REPO}/pull/101`,
        `https://github.com/${REPO}/pull/101#discussion_r9000000101`,
        'maintainer',
      ]),
    );

    // A later recapture (another clock) keeps every row exactly as it was: same ts, no confidence creep.
    const again = await cli(['capture', '--bundle', file, '--db', db, '--now', '2026-03-09T00:00:00Z']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/1 lessons \(0 new\)/);
    expect(await dump(db)).toEqual(before);
  });

  it('a lesson recurring from another PR gets +1 and counts as a use of the earlier one, once', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const a = writeBundle('pr-101.json', bundle(101, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)));
    expect((await cli(['capture', '--bundle', a, '--db', db, '--now', '2026-03-02T00:00:00Z'])).code).toBe(0);
    const b = writeBundle('pr-102.json', bundle(102, lessonBlock('bash-cd-git', CD_INSIGHTS[1]!)));
    for (const now of ['2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z']) {
      expect((await cli(['capture', '--bundle', b, '--db', db, '--now', now])).code).toBe(0);
    }
    const list = JSON.parse((await cli(['lessons', 'list', '--db', db, '--json'])).stdout) as Array<{
      retro_pr: number;
      confidence: number;
      access_count: number;
      ts: string;
    }>;
    const pr101 = list.find((l) => l.retro_pr === 101)!;
    const pr102 = list.find((l) => l.retro_pr === 102)!;
    expect(pr102.confidence).toBe(pr101.confidence + 1);
    expect(pr102.ts).toBe('2026-03-03T00:00:00Z'); // the first capture's time, kept on recapture
    expect(pr101.access_count).toBe(1); // not 2: the recapture inserted nothing
  });

  it('a folder with one malformed bundle names it in one line and stores nothing', async () => {
    const db = join(tmp.dir, 'lessons.db');
    writeBundle('pr-101.json', bundle(101, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)));
    const broken = bundle(102, 'x') as { review_comments: Array<Record<string, unknown>> };
    delete broken.review_comments[0]!['created_at'];
    writeBundle('pr-102.json', broken);
    const r = await cli(['capture', '--bundle', join(tmp.dir, 'bundles'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mycelium: PR bundle .*pr-102\.json: review_comments\.0\.created_at is required$/m);
    expect(existsSync(db)).toBe(false);
  });

  it('a file that is not JSON is one clear line, and an existing database is left byte-identical', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const good = writeBundle('pr-101.json', bundle(101, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)));
    expect((await cli(['capture', '--bundle', good, '--db', db])).code).toBe(0);
    const before = readFileSync(db);
    const bad = writeBundle('pr-103.json', '{"pull_request": ');
    writeFileSync(bad, '{"pull_request": ');
    const r = await cli(['capture', '--bundle', bad, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^mycelium: bundle .*pr-103\.json is not valid JSON/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a PR labelled no-lessons is recorded as captured with no lessons', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const file = writeBundle('pr-104.json', bundle(104, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!), { label: 'no-lessons' }));
    const r = await cli(['capture', '--bundle', file, '--db', db]);
    expect(r.code).toBe(0);
    const d = await dump(db);
    expect(d['lessons']).toEqual([]);
    expect((d['captured_prs'] as unknown[][]).map((row) => row[1])).toEqual([104]);
  });

  it('three PRs stating the same lesson, captured offline, distill into one skill candidate', async () => {
    const db = join(tmp.dir, 'lessons.db');
    CD_INSIGHTS.forEach((insight, i) => writeBundle(`pr-${201 + i}.json`, bundle(201 + i, lessonBlock(`bash-cd-git-${i}`, insight))));
    const cap = await cli(['capture', '--bundle', join(tmp.dir, 'bundles'), '--db', db, '--now', '2026-03-02T00:00:00Z']);
    expect(cap.code).toBe(0);
    // Captured in PR order, in one process.
    expect(cap.stdout.split('\n').filter((l) => l.startsWith('acme/app#'))).toEqual([
      expect.stringMatching(/^acme\/app#201:/),
      expect.stringMatching(/^acme\/app#202:/),
      expect.stringMatching(/^acme\/app#203:/),
    ]);
    const out = join(tmp.dir, 'report.json');
    const run = await cli(['distill', 'run', '--db', db, '--now', '2026-03-05T00:00:00Z', '--no-watermark', '--out', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.candidate_count).toBe(1);
    expect(report.candidates[0].recurrence_pr_count).toBe(3);
    expect(report.candidates[0].cluster.subject_skills).toEqual(['bash']);
  });
});

describe('only merged PRs are captured', () => {
  it('a bundle of an open PR stores nothing and is not recorded as captured', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const open = bundle(301, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)) as { pull_request: Record<string, unknown> };
    open.pull_request['merged_at'] = null;
    open.pull_request['state'] = 'open';
    const file = writeBundle('pr-301.json', open);
    const r = await cli(['capture', '--bundle', file, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('acme/app#301: not merged (merged_at is null or missing in the bundle): nothing captured\n');
    const d = await dump(db);
    expect(d['lessons']).toEqual([]);
    expect(d['captured_prs']).toEqual([]);
  });
});

describe('bundle files as people save them', () => {
  it('a UTF-8 byte order mark is accepted; a folder named like a bundle is not read as one', async () => {
    const db = join(tmp.dir, 'lessons.db');
    const file = writeBundle('pr-401.json', bundle(401, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)));
    writeFileSync(file, '\uFEFF' + readFileSync(file, 'utf8'));
    mkdirSync(join(tmp.dir, 'bundles', 'old.json'));
    const r = await cli(['capture', '--bundle', join(tmp.dir, 'bundles'), '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^acme\/app#401: 1 lessons \(1 new\)/);
  });

  it('--max-lessons above 5 is a usage error', async () => {
    const file = writeBundle('pr-402.json', bundle(402, lessonBlock('bash-cd-git', CD_INSIGHTS[0]!)));
    const r = await cli(['capture', '--bundle', file, '--db', join(tmp.dir, 'x.db'), '--max-lessons', '9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mycelium: capture: --max-lessons must be at most 5 (lessons per PR: 0–5)\n');
  });
});
