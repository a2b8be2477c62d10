/**
 * Capture on real review payloads (shared/data, see its README): every file converts and captures,
 * noise yields nothing, bots are recognized, acted-on points become lessons, and capture is idempotent.
 */
import { describe, expect, it } from '@jest/globals';
import { ActorClassifier, defaultTrustPolicy } from '../src/capture/actors.js';
import type { PrBundle } from '../src/capture/bundle.js';
import { extractLessons, type CaptureResult } from '../src/capture/extract.js';
import { bundleFromDataFile, prFromFileName } from '../scripts/lib/datasets.js';
import { buildThreads } from '../src/capture/threads.js';
import { toLesson } from '../src/core/lesson.js';
import { githubDataFiles, readJson } from './support/captureData.js';

const NOW = '2026-02-01T00:00:00Z';
const load = (rel: string): PrBundle => bundleFromDataFile(rel, readJson(rel));
const capture = (rel: string, includeContributors = false): CaptureResult =>
  extractLessons(load(rel), { now: NOW, policy: defaultTrustPolicy({ includeContributors }) });

const PR2965 = 'github-review-comments/jleechanorg_worldarchitect.ai-pr2965.json';
const PR3325 = 'github-review-comments/GoogleCloudPlatform_DataflowTemplates-pr3325.json';
const PR3484 = 'github-review-comments/jleechanorg_worldarchitect.ai-pr3484.json';

describe('every github-* payload', () => {
  const files = githubDataFiles();

  it('is found (37 review files, 3 review-comment, 3 thread, 2 issue-comment files)', () => {
    expect(files.filter((f) => f.startsWith('github-reviews/'))).toHaveLength(37);
    expect(files).toHaveLength(45);
  });

  it.each(files)('%s converts, captures, gives valid lessons, and recaptures identically', (rel) => {
    const b = load(rel);
    for (const policy of [defaultTrustPolicy(), defaultTrustPolicy({ includeContributors: true })]) {
      const r1 = extractLessons(b, { now: NOW, policy });
      expect(r1.project).toBe(b.pull_request.base.repo.full_name);
      expect(r1.lessons.length).toBeLessThanOrEqual(5);
      for (const l of r1.lessons) {
        expect(() => toLesson(l.lesson)).not.toThrow();
        expect(l.lesson.insight.length).toBeGreaterThanOrEqual(10);
        expect(l.lesson.insight.length).toBeLessThanOrEqual(300);
        expect(l.lesson.insight).not.toMatch(/<\/?[a-z]|!\[|```|@\w|Γ|∩╕/);
        expect(l.lesson.retro_pr).toBe(b.pull_request.number);
      }
      // Every read comment is accounted for: a lesson or a skip record (replies only count).
      expect(r1.counts.comments).toBeGreaterThanOrEqual(r1.lessons.length + r1.skipped.length - r1.counts.duplicates - r1.counts.over_cap);
      const again = extractLessons(load(rel), { now: NOW, policy, existing: r1.lessons.map(({ lesson: l }) => ({ id: l.id, key: l.key, type: l.type, insight: l.insight, retro_pr: l.retro_pr ?? null, project: l.project, ts: l.ts, confidence: l.confidence })) });
      expect(again.lessons.map((l) => l.lesson)).toEqual(r1.lessons.map((l) => l.lesson));
      expect(extractLessons(load(rel), { now: NOW, policy })).toEqual(r1);
    }
  });
});

describe('noise yields nothing', () => {
  it.each(githubDataFiles().filter((f) => f.startsWith('github-issue-comments/')))('%s: 0 lessons, each comment skipped as boilerplate', (rel) => {
    for (const includeContributors of [false, true]) {
      const r = capture(rel, includeContributors);
      expect(r.lessons).toEqual([]);
      expect(r.skipped).toHaveLength(3);
      for (const s of r.skipped) expect(s.reason).toMatch(/^boilerplate: /);
    }
  });

  it('github-reviews bodies (CodeRabbit walkthroughs, bot summaries, empty bodies, "Nice job") give 0 lessons', () => {
    const files = githubDataFiles().filter((f) => f.startsWith('github-reviews/'));
    const reasons = new Map<string, number>();
    for (const rel of files) {
      const r = capture(rel, true);
      expect(r.lessons).toEqual([]);
      for (const s of r.skipped) {
        const k = s.reason.replace(/:.*$/, '');
        reasons.set(k, (reasons.get(k) ?? 0) + 1);
      }
    }
    // 113 reviews: 47 empty, the CodeRabbit/Copilot/Greptile summaries as boilerplate, the rest untrusted or not rules.
    expect([...reasons.values()].reduce((a, b) => a + b, 0)).toBe(113);
    expect(reasons.get('empty review body')).toBe(47);
    expect(reasons.get('boilerplate')).toBeGreaterThanOrEqual(55);
  });
});

describe('bot recognition on real payloads', () => {
  const kinds = (rel: string) => {
    const threads = buildThreads(load(rel), new ActorClassifier(defaultTrustPolicy()));
    const m = new Map<string, string>();
    for (const t of threads) for (const i of [t.root, ...t.replies]) if (i.author.login) m.set(i.author.login, i.author.kind);
    return m;
  };

  it('Copilot (no [bot]), cursor, codex and coderabbit are AI reviewers; the member is human', () => {
    const k = kinds(PR2965);
    expect(k.get('Copilot')).toBe('ai-reviewer');
    expect(k.get('cursor[bot]')).toBe('ai-reviewer');
    expect(k.get('coderabbitai[bot]')).toBe('ai-reviewer');
    expect(k.get('chatgpt-codex-connector[bot]')).toBe('ai-reviewer');
    expect(k.get('jleechan2015')).toBe('human');
  });

  it('GraphQL logins without [bot]: gemini-code-assist, cursor, github-code-quality, copilot-pull-request-reviewer', () => {
    const strata = kinds('github-review-threads/jbcom_strata-game-library-pr133.json');
    expect(strata.get('gemini-code-assist')).toBe('ai-reviewer');
    expect(strata.get('cursor')).toBe('ai-reviewer');
    expect(strata.get('github-code-quality')).toBe('ai-reviewer');
    expect(kinds('github-review-threads/Alan-Jowett_sonde-pr533.json').get('copilot-pull-request-reviewer')).toBe('ai-reviewer');
  });

  it('k8s-ci-robot (type User) and the EasyCLA bot are bots', () => {
    const k = kinds('github-issue-comments/kubernetes-sigs_headlamp-pr5049.json');
    expect(k.get('k8s-ci-robot')).toBe('bot');
    expect(k.get('linux-foundation-easycla[bot]')).toBe('bot');
  });

  it('AiDotNet threads have no authors: nothing is trusted, and the mojibake does not crash cleaning', () => {
    const r = capture('github-review-threads/ooples_AiDotNet-pr447.json');
    expect(r.lessons).toEqual([]);
    expect(r.skipped).toHaveLength(46);
    expect(r.skipped.every((s) => /author unknown/.test(s.reason))).toBe(true);
  });
});

describe('acted-on points from real threads', () => {
  it('pr2965: a bot finding answered "DONE…" by the member becomes a cross-model lesson', () => {
    const r = capture(PR2965);
    const cm = r.lessons.filter((l) => l.lesson.source === 'cross-model');
    expect(cm.length).toBeGreaterThanOrEqual(1);
    for (const l of cm) {
      expect(l.lesson.confidence).toBe(8);
      expect(l.provenance.acted_on_by).toBe('jleechan2015');
      expect(l.provenance.evidence.join('\n')).toMatch(/reply-acted by jleechan2015: DONE/);
      expect(['coderabbitai', 'cursor', 'copilot', 'chatgpt-codex-connector']).toContain(l.lesson.source_bot);
      expect(l.lesson.skill).toBe('python');
    }
    // The "[AI responder] … No action required" replies do not count: that CodeRabbit finding is skipped.
    expect(r.skipped.find((s) => s.where.endsWith('r2674272757'))!.reason).toMatch(/AI reviewer point without evidence|rejected/);
    // Bot acknowledgements ("@jleechan2015 Thank you…") are replies, never lessons.
    expect(r.lessons.every((l) => l.provenance.comment_author !== 'jleechan2015')).toBe(true);
  });

  it('pr3325: a human directive answered by a human is user-stated 8 (when CONTRIBUTOR is trusted); a bare question is not', () => {
    const r = capture(PR3325, true);
    expect(r.lessons.length).toBeGreaterThanOrEqual(1);
    // "Looks like an unrelated change. Please revert this file." is a finding: its rule is Mycelium's words, inferred.
    const scope = r.lessons.filter((l) => l.provenance.notes.some((n) => n.includes('Looks like an unrelated change')));
    expect(scope.map((l) => [l.lesson.source, l.lesson.confidence])).toEqual([['inferred', 5]]);
    expect(scope[0]!.lesson.insight).toMatch(/^Keep changes unrelated to the purpose of a pull request out of it/);
    for (const l of r.lessons.filter((x) => !scope.includes(x))) {
      expect(l.lesson).toMatchObject({ source: 'user-stated', confidence: 8, project: 'GoogleCloudPlatform/DataflowTemplates', retro_pr: 3325, skill: 'java' });
      expect(l.provenance.comment_author).toBe('darshan-sj');
      expect(l.lesson.key).toMatch(/^[a-z]+-[a-z0-9-]+$/);
      expect((l.lesson.files ?? [])[0]).toMatch(/\.java$/);
    }
    expect(r.lessons.some((l) => l.provenance.acted_on_by === 'MnkyGns')).toBe(true);
    const q = r.skipped.find((s) => s.where.endsWith('r2922036932'))!; // "Do we not need the parentheses for PG dialect?"
    expect(q.reason).toBe('question');
    // Under the default policy both reviewers are CONTRIBUTORs: untrusted, no lessons.
    const strict = capture(PR3325);
    expect(strict.lessons).toEqual([]);
    expect(strict.skipped.every((s) => /not trusted/.test(s.reason))).toBe(true);
  });

  it('pr3484: bot-only PR; a bot point counts only with evidence, Copilot nits never', () => {
    const r = capture(PR3484);
    for (const l of r.lessons) {
      expect(l.lesson.source).toBe('cross-model');
      expect(l.provenance.evidence.join()).toMatch(/suggested change/);
    }
    expect(r.lessons.some((l) => l.provenance.comment_author === 'Copilot')).toBe(false);
  });

  it('file names map to the PR they describe', () => {
    expect(prFromFileName('github-review-comments/jleechanorg_worldarchitect.ai-pr2965.json')).toEqual({ fullName: 'jleechanorg/worldarchitect.ai', number: 2965 });
    expect(load('github-reviews/fork-pr-1.json').pull_request.base.repo.full_name).toBe('marcodelpin/Continuous-Claude-v3');
  });
});
