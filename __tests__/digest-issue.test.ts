/**
 * The digest issue renderer (pure): title, body layout, links, the marker and digest id, escaping of
 * untrusted lesson text, and the 65,536-character limit.
 */
import { describe, expect, it } from '@jest/globals';
import {
  bodyHasDigestMarker,
  clipText,
  digestId,
  digestIssueTitle,
  digestMarker,
  escapeInline,
  ISSUE_BODY_LIMIT,
  renderDigestIssue,
  safeUrl,
  weekOf,
  type LessonProvenance,
} from '../src/core/digestIssue.js';
import { distill, type Candidate, type DigestReport, type MemberLesson } from '../src/core/distill.js';
import { BASH_CD_LESSONS, daysAgo, NOW, NOW_ISO, row } from './helpers/fixtures.js';

const ZWJ = '\u200d';

/** The real pipeline's report over SPEC §8's three bash-cd lessons. */
function bashReport(project = 'acme/app'): DigestReport {
  const rows = BASH_CD_LESSONS.map((l, i) =>
    row({ id: `lsn-${l.pr}`, key: l.key, insight: l.insight, confidence: l.confidence, retro_pr: l.pr, project, skill: 'bash', ts: daysAgo(3 - i) }),
  );
  const report = distill(rows, { now: NOW, project });
  expect(report.candidate_count).toBe(1);
  return report;
}

let seq = 0;
function member(over: Partial<MemberLesson> = {}): MemberLesson {
  seq++;
  return {
    id: `lsn-${seq}`,
    key: `bash-k${seq}`,
    type: 'pattern',
    insight: `Use git -C <dir> instead of cd <dir> && git, variant ${seq}`,
    confidence: 8,
    retro_pr: 100 + seq,
    skill: null,
    project: 'acme/app',
    ts: daysAgo(2),
    ...over,
  };
}

/** A hand-made candidate (the renderer only reads the report). */
function candidate(members: MemberLesson[], over: Partial<Candidate> = {}): Candidate {
  const prs = [...new Set(members.map((m) => m.retro_pr).filter((p): p is number => p !== null))].sort((a, b) => a - b);
  const id = `cl-${(seq++).toString(16).padStart(12, '0')}`;
  return {
    candidate_id: id,
    title: members[0]!.key,
    recurrence_pr_count: prs.length,
    has_new_evidence: true,
    cluster: {
      cluster_id: id,
      lesson_ids: members.map((m) => m.id),
      member_keys: [...new Set(members.map((m) => m.key))].sort(),
      types: [...new Set(members.map((m) => m.type))].sort(),
      retro_prs: prs,
      subject_skills: [],
      avg_confidence: 8,
      representative_insight: members[0]!.insight,
      member_lessons: members,
    },
    ...over,
  };
}

function report(candidates: Candidate[], over: Partial<DigestReport> = {}): DigestReport {
  return {
    version: '1.0',
    generated_at: NOW_ISO,
    since: daysAgo(90),
    project: 'acme/app',
    watermark: null,
    total_lessons_scanned: candidates.reduce((n, c) => n + c.cluster.lesson_ids.length, 0),
    dropped_unparseable_ts: 0,
    truncated: false,
    candidate_count: candidates.length,
    candidates,
    dropped_invalid_rows: 0,
    cluster_count: candidates.length,
    ...over,
  };
}

/** The JSON inside the body's <details> block, parsed; null when absent. */
function embeddedJson(body: string): unknown {
  const m = /^(`{3,})json\n([\s\S]*?)\n\1$/m.exec(body);
  return m ? JSON.parse(m[2]!) : null;
}

/** Every `<` in the body opens one of our own tags. */
function foreignTags(body: string): string[] {
  const allowed = [/^<!-- mycelium-digest:dg-[0-9a-f]{16} -->/, /^<\/?details>/, /^<\/?summary>/, /^<\/?sub>/];
  const out: string[] = [];
  for (let i = body.indexOf('<'); i >= 0; i = body.indexOf('<', i + 1)) {
    const rest = body.slice(i, i + 60);
    if (!allowed.some((a) => a.test(rest))) out.push(rest);
  }
  return out;
}

/** `@` directly followed by a name character would ping someone. */
function livePings(body: string): string[] {
  return Array.from(body.matchAll(/@[\p{L}\p{N}_][\w-]*/gu), (m) => m[0]);
}

/** Lines opening (or closing) a code fence. */
const fenceLines = (body: string): string[] => body.split('\n').filter((l) => /^\s{0,3}(`{3,}|~{3,})/.test(l));

describe('title', () => {
  it('counts candidates and names the week (Monday, UTC) of generated_at', () => {
    expect(weekOf('2026-03-15T12:00:00Z')).toBe('2026-03-09'); // a Sunday
    expect(weekOf('2026-03-09T00:00:00Z')).toBe('2026-03-09'); // the Monday itself
    expect(weekOf('nonsense')).toBeNull();
    expect(digestIssueTitle(bashReport())).toBe('Mycelium: 1 skill candidate (week of 2026-03-09)');
    expect(digestIssueTitle(report([candidate([member(), member(), member()]), candidate([member(), member(), member()])]))).toBe(
      'Mycelium: 2 skill candidates (week of 2026-03-09)',
    );
  });
});

describe('digest id and marker', () => {
  const a = [member(), member(), member()];
  const b = [member(), member(), member()];
  const ca = candidate(a);
  const cb = candidate(b);

  it('depends on project, candidates and their lessons — not on order, clock, window or scores', () => {
    const base = digestId(report([ca, cb]));
    expect(base).toMatch(/^dg-[0-9a-f]{16}$/);
    expect(digestId(report([cb, ca]))).toBe(base);
    const reordered = candidate([...a].reverse(), { candidate_id: ca.candidate_id });
    expect(digestId(report([reordered, cb]))).toBe(base);
    expect(digestId(report([ca, cb], { generated_at: '2026-04-01T00:00:00Z', since: '2026-01-01T00:00:00Z', watermark: NOW_ISO }))).toBe(base);
    expect(digestId(report([{ ...ca, recurrence_pr_count: 9 }, cb]))).toBe(base);

    expect(digestId(report([ca]))).not.toBe(base);
    expect(digestId(report([ca, cb], { project: 'acme/other' }))).not.toBe(base);
    const grown = candidate([...a, member()], { candidate_id: ca.candidate_id });
    expect(digestId(report([grown, cb]))).not.toBe(base);
  });

  it('is the first line of the body, and recognised only there', () => {
    const issue = renderDigestIssue(report([ca]));
    expect(issue.marker).toBe(digestMarker(issue.digestId));
    expect(issue.body.split('\n')[0]).toBe(issue.marker);
    expect(bodyHasDigestMarker(issue.body, issue.digestId)).toBe(true);
    expect(bodyHasDigestMarker(issue.body.replace('\n', '\r\n'), issue.digestId)).toBe(true);
    expect(bodyHasDigestMarker(`hello\n${issue.marker}`, issue.digestId)).toBe(false);
    expect(bodyHasDigestMarker(issue.body, 'dg-0000000000000000')).toBe(false);
    expect(bodyHasDigestMarker(null, issue.digestId)).toBe(false);
  });
});

describe('body', () => {
  const provenance = new Map<string, LessonProvenance>([
    ['lsn-101', { comment_url: 'https://github.com/acme/app/pull/101#discussion_r3000000001', pr_url: 'https://github.com/acme/app/pull/101', author: 'reviewer-a' }],
    ['lsn-102', { comment_url: 'https://github.com/acme/app/pull/102#issuecomment-3000000002', author: 'dependabot[bot]' }],
  ]);

  it('has the summary table, the candidate with its insights and links, the scan figures, and the JSON', () => {
    const r = bashReport();
    const { body, jsonIncluded, shownCandidates, title } = renderDigestIssue(r, { provenance });
    const c = r.candidates[0]!;
    expect(title).toBe('Mycelium: 1 skill candidate (week of 2026-03-09)');
    expect(jsonIncluded).toBe(true);
    expect(shownCandidates).toBe(1);
    expect(body).toContain('| # | candidate | lessons | PRs | avg confidence | new evidence |');
    expect(body).toContain(`| 1 | ${escapeInline(c.title)} | 3 | 3 | 7.67 | yes |`);
    expect(body).toContain(`### 1. ${escapeInline(c.title)}`);
    expect(body).toContain(`**Representative insight:** ${escapeInline(c.cluster.representative_insight)}`);
    for (const pr of [101, 102, 103]) expect(body).toContain(`[PR #${pr}](https://github.com/acme/app/pull/${pr})`);
    expect(body).toContain('[comment](https://github.com/acme/app/pull/101#discussion_r3000000001) by reviewer-a');
    expect(body).toContain('[comment](https://github.com/acme/app/pull/102#issuecomment-3000000002) by dependabot\\[bot\\]');
    for (const l of BASH_CD_LESSONS) expect(body).toContain(`- **${escapeInline(l.key)}** (pattern, confidence ${l.confidence}, `);
    for (const l of BASH_CD_LESSONS) expect(body).toContain(escapeInline(l.insight));
    expect(body).toContain('- Lessons scanned: 3 (window since');
    expect(body).toContain('- Clusters formed: 1');
    expect(body).toContain('- Dropped (unparseable timestamp): 0');
    expect(body).toContain('- Invalid rows skipped: 0');
    expect(body).toContain('- Watermark: none (first run)');
    expect(body).toMatch(/<details>\n<summary>Full DigestReport JSON<\/summary>\n\n```json\n/);
    expect(embeddedJson(body)).toEqual(JSON.parse(JSON.stringify(r)));
    expect(foreignTags(body)).toEqual([]);
  });

  it('links PRs through the repository option when lessons carry no owner/repo project', () => {
    const r = report([candidate([member({ project: 'local', retro_pr: 7 }), member({ project: 'local', retro_pr: 8 })])], { project: null });
    expect(renderDigestIssue(r).body).toContain('PR 7');
    expect(renderDigestIssue(r).body).not.toContain('/pull/7');
    const linked = renderDigestIssue(r, { repository: 'acme/app', serverUrl: 'https://ghe.example.com/' }).body;
    expect(linked).toContain('[PR #7](https://ghe.example.com/acme/app/pull/7)');
  });

  it('links only http(s) provenance URLs, with parentheses encoded', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,<b>x</b>')).toBeNull();
    expect(safeUrl('https://user:pw@github.com/')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('https://github.com/a/b/pull/1#x)(y')).toBe('https://github.com/a/b/pull/1#x%29%28y');
    const m = member({ id: 'lsn-evil' });
    const body = renderDigestIssue(report([candidate([m, member()])]), {
      provenance: { 'lsn-evil': { comment_url: 'javascript:alert(document.cookie)', author: '@admin' } },
    }).body;
    expect(body).not.toContain('javascript:');
    expect(body).toContain(`by @${ZWJ}admin`);
  });

  it('without the JSON (too large), links to where it is (the report artifact)', () => {
    const r = bashReport();
    const full = renderDigestIssue(r).body;
    const small = renderDigestIssue(r, { maxBodyChars: full.length - 1, reportUrl: 'https://github.com/acme/app/actions/runs/42/artifacts/7' });
    expect(small.jsonIncluded).toBe(false);
    expect(small.shownCandidates).toBe(1);
    expect(small.body.length).toBeLessThan(full.length);
    expect(embeddedJson(small.body)).toBeNull();
    expect(small.body).toContain('does not fit in an issue body');
    expect(small.body).toContain('[download it](https://github.com/acme/app/actions/runs/42/artifacts/7) from the workflow run that posted this digest');
  });
});

describe('untrusted text', () => {
  it('escapeInline: no pings, no issue references, no HTML, no markdown structure, one line', () => {
    expect(escapeInline('ping @everyone and @acme/security-team, mail a@b.c')).toBe(`ping @${ZWJ}everyone and @${ZWJ}acme/security-team, mail a@${ZWJ}b.c`);
    expect(escapeInline('see #12 and acme/app#34 and GH-56')).toBe(`see \\#${ZWJ}12 and acme/app\\#${ZWJ}34 and GH-${ZWJ}56`);
    expect(escapeInline('<img src=x onerror=alert(1)> & <!-- x -->')).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;!-- x --&gt;');
    expect(escapeInline('a | b `c` *d* _e_ [f](g) ~h~ $x$ \\')).toBe('a \\| b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\~h\\~ \\$x\\$ \\\\');
    expect(escapeInline('line one\n```\nline\r\ntwo\u2028three')).toBe('line one \\`\\`\\` line two three');
    expect(escapeInline('abc\u202edcba\u0007')).toBe('abcdcba');
  });

  it('clips by code points, never splitting a surrogate pair', () => {
    const s = '😀'.repeat(10);
    const clipped = clipText(s, 5);
    expect(Array.from(clipped)).toHaveLength(5);
    expect(clipped).toBe('😀😀😀😀…');
    expect(clipText('short', 10)).toBe('short');
  });

  const hostile = [
    '@everyone @acme/security-team look: <img src=x onerror=alert(1)> <script>alert(1)</script>',
    '<!-- mycelium-digest:dg-0123456789abcdef -->',
    '</details><details open><summary>click</summary>',
    '```',
    'rm -rf / | tee x',
    '```',
    '| fake | table | row |',
    '[phish](https://evil.example) ![pixel](https://evil.example/p.png) #1 &amp;',
  ].join('\n');

  function hostileReport(): DigestReport {
    const members = [
      member({ insight: hostile, key: 'evil-key|with`ticks', skill: '@skill' }),
      member({ insight: `second: ${hostile}` }),
      member({ insight: 'a normal insight about git -C' }),
    ];
    return report([candidate(members, { title: '@everyone <b>title</b> | x' })], { project: 'acme/app' });
  }

  it('a hostile insight is neutralised in the body, and the JSON still holds it exactly', () => {
    const r = hostileReport();
    const issue = renderDigestIssue(r);
    const { body } = issue;
    expect(issue.jsonIncluded).toBe(true);
    expect(livePings(body)).toEqual([]);
    expect(foreignTags(body)).toEqual([]);
    // One HTML comment: ours, on the first line.
    expect(body.split('<!--').length - 1).toBe(1);
    expect(bodyHasDigestMarker(body, 'dg-0123456789abcdef')).toBe(false);
    // Only the JSON block's fences start a line.
    expect(fenceLines(body)).toHaveLength(2);
    // Table rows keep their 7 cell borders: no unescaped pipe from the title.
    const tableRows = body.split('\n').filter((l) => l.startsWith('| 1 |'));
    expect(tableRows).toHaveLength(1);
    expect(tableRows[0]!.match(/(?<!\\)\|/g)).toHaveLength(7);
    // No link or image syntax survives from lesson text (outside the JSON code block, where it is inert).
    const markdown = body.replace(/^(`{3,})json\n[\s\S]*?\n\1$/m, '');
    expect(markdown).toContain('\\[phish\\](https://evil.example)');
    expect(markdown).not.toMatch(/(?<!\\)\[phish/);
    expect(markdown).not.toContain('![pixel]');
    expect(embeddedJson(body)).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('a 70,000-character insight: the body stays within 65,536 characters, the candidate is still shown', () => {
    const huge = '@everyone ' + '<img src=x onerror=alert(1)> ```\n'.repeat(2_200);
    expect(huge.length).toBeGreaterThan(70_000);
    const r = report([candidate([member({ insight: huge }), member({ insight: huge }), member()])]);
    const issue = renderDigestIssue(r);
    expect(issue.body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(issue.shownCandidates).toBe(1);
    expect(issue.jsonIncluded).toBe(false);
    expect(issue.body).toContain('does not fit in an issue body');
    expect(issue.body).toContain('**Representative insight:** @\u200deveryone &lt;img');
    expect(issue.body).toContain('…');
    expect(livePings(issue.body)).toEqual([]);
    expect(foreignTags(issue.body)).toEqual([]);
    expect(fenceLines(issue.body)).toEqual([]);
  });

  it('many candidates: whole candidates are dropped from the end, with a "not shown" line', () => {
    const long = 'Prefer git -C over cd in scripts because a failed cd leaves git running elsewhere. '.repeat(18);
    const candidates = Array.from({ length: 120 }, () => candidate([member({ insight: long }), member({ insight: long }), member({ insight: long })]));
    const r = report(candidates);
    const issue = renderDigestIssue(r);
    expect(issue.body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(issue.jsonIncluded).toBe(false);
    expect(issue.shownCandidates).toBeGreaterThan(0);
    expect(issue.shownCandidates).toBeLessThan(120);
    const hidden = 120 - issue.shownCandidates;
    expect(issue.body).toContain(`_${hidden} more candidates not shown: the issue body is limited to 65,536 characters.`);
    // Exactly the shown candidates have a section and a table row, in order.
    const sections = Array.from(issue.body.matchAll(/^### (\d+)\. /gm), (m) => Number(m[1]));
    expect(sections).toEqual(Array.from({ length: issue.shownCandidates }, (_, i) => i + 1));
    expect(issue.body.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(issue.shownCandidates);
    // Packed: what is left is less than one more candidate's section.
    const section = issue.body.indexOf('### 2. ') - issue.body.indexOf('### 1. ');
    expect(section).toBeGreaterThan(1000);
    expect(ISSUE_BODY_LIMIT - issue.body.length).toBeLessThan(section + 100);
    expect(issue.body.endsWith('by Mycelium</sub>\n')).toBe(true);
  });

  it('a cluster with hundreds of members lists the first 25 and counts the rest', () => {
    const members = Array.from({ length: 300 }, () => member());
    const { body } = renderDigestIssue(report([candidate(members)]));
    expect(body.split('\n').filter((l) => l.startsWith('- **'))).toHaveLength(25);
    expect(body).toContain('- … and 275 more lessons (all are in the JSON report)');
  });
});
