/** Decisions: the pure state (merge, queries, suppression of decided candidates) and its database tables. */
import { describe, expect, it } from '@jest/globals';
import {
  acceptedRules,
  emptyDecisionState,
  mergeDecisionStates,
  parseDecisionState,
  rejectedCandidates,
  retiredLessonIds,
  serializeDecisionState,
  suppressDecided,
  type Decision,
  type DecisionState,
} from '../src/core/conventionsDecisions.js';
import { distill, type DigestReport } from '../src/core/distill.js';
import type { NewLesson } from '../src/core/lesson.js';
import { LessonsStore } from '../src/store/lessonsStore.js';
import { daysAgo, NOW, row } from './helpers/fixtures.js';

const decision = (over: Partial<Decision>): Decision => ({
  subject: 'cl-1',
  decision: 'accept',
  lesson_ids: [],
  reason: '',
  by: 'maintainer',
  at: '2026-03-15T12:00:00Z',
  comment_url: null,
  title: 'T',
  rule: 'Do it.',
  prs: [1],
  ...over,
});
const state = (decisions: Decision[]): DecisionState => ({ ...emptyDecisionState(), decisions });

function bashReport(ids: string[]): DigestReport {
  const rows = ids.map((id, i) => row({ id, key: `bash-cd-${i}`, insight: 'Use git -C <dir> instead of cd <dir> && git in shell scripts', retro_pr: 101 + i, ts: daysAgo(2) }));
  return distill(rows, { now: NOW, project: 'acme/app' });
}

describe('decision state', () => {
  it('the latest decision per candidate wins; retire is per lesson', () => {
    const s = state([
      decision({ subject: 'cl-1', decision: 'accept', at: '2026-03-01T00:00:00Z' }),
      decision({ subject: 'cl-2', decision: 'accept', at: '2026-03-01T00:00:00Z' }),
      decision({ subject: 'cl-2', decision: 'reject', at: '2026-03-02T00:00:00Z', reason: 'changed our mind' }),
      decision({ subject: 'lsn-9', decision: 'retire', lesson_ids: ['lsn-9'] }),
    ]);
    expect(acceptedRules(s).map((r) => r.id)).toEqual(['cl-1']);
    expect(rejectedCandidates(s).map((d) => [d.subject, d.reason])).toEqual([['cl-2', 'changed our mind']]);
    expect(retiredLessonIds(s)).toEqual(['lsn-9']);
  });

  it('merges the database copy and the state-branch copy without duplicates', () => {
    const a = { ...state([decision({ subject: 'cl-1' })]), processed_comments: ['1'], written: { 'AGENTS.md': ['cl-1'] } };
    const b = { ...state([decision({ subject: 'cl-1' }), decision({ subject: 'cl-2', at: '2026-03-16T00:00:00Z' })]), processed_comments: ['1', '2'] };
    const m = mergeDecisionStates(a, b);
    expect(m.decisions.map((d) => d.subject)).toEqual(['cl-1', 'cl-2']);
    expect(m.processed_comments).toEqual(['1', '2']);
    expect(m.written).toEqual({ 'AGENTS.md': ['cl-1'] });
  });

  it('parses its JSON back; unreadable text is no decisions, with a warning', () => {
    const s = state([decision({})]);
    expect(parseDecisionState(serializeDecisionState(s), 'decisions.json')).toEqual({ state: s, warning: null });
    expect(parseDecisionState(null, 'x').state).toEqual(emptyDecisionState());
    expect(parseDecisionState('{nope', 'x').warning).toMatch(/not valid JSON/);
    expect(parseDecisionState('{"version":1,"decisions":[{"subject":""}]}', 'x').warning).toMatch(/does not hold decisions/);
  });
});

describe('suppressDecided', () => {
  it('a later cluster made mostly (> 50 %) of a rejected candidate’s lessons is left out and counted', () => {
    const report = bashReport(['a', 'b', 'c', 'd']);
    expect(report.candidate_count).toBe(1);
    const rejected = state([decision({ subject: 'cl-old', decision: 'reject', lesson_ids: ['a', 'b', 'c'] })]);
    const out = suppressDecided(report, rejected);
    expect(out).toMatchObject({ rejected: 1, accepted: 0 });
    expect(out.report.candidate_count).toBe(0);
    // Exactly half is not "mostly".
    const half = suppressDecided(report, state([decision({ subject: 'cl-old', decision: 'reject', lesson_ids: ['a', 'b'] })]));
    expect(half.report.candidate_count).toBe(1);
    // An accepted one is not proposed again either; a reversed rejection counts as accepted.
    const accepted = suppressDecided(report, state([decision({ subject: 'cl-old', lesson_ids: ['a', 'b', 'c'] })]));
    expect(accepted).toMatchObject({ rejected: 0, accepted: 1 });
  });
});

describe('database tables', () => {
  const lesson = (id: string): NewLesson => ({
    id, ts: daysAgo(1), project: 'acme/app', skill: null, type: 'pattern', key: `k-${id}`, insight: 'Use git -C instead of cd in scripts', confidence: 8, source: 'observed', retro_pr: 1,
  });

  it('round-trips through a saved database, which reopens as it is (no rebuild), and retires lessons', async () => {
    const store = await LessonsStore.open(null, 'test');
    store.upsertLessons([lesson('l1'), lesson('l2')]);
    const s: DecisionState = {
      ...state([decision({ subject: 'cl-1', lesson_ids: ['l1', 'l2'] }), decision({ subject: 'l2', decision: 'retire', lesson_ids: ['l2'], rule: null, title: null, prs: [] })]),
      processed_comments: ['42'],
      written: { 'AGENTS.md': ['cl-1'] },
    };
    store.saveDecisionState(s);
    expect(store.retireLessons(['l2', 'nope'], '2026-03-15T12:00:00Z', 'retired by maintainer')).toEqual(['l2']);
    expect(store.retireLessons(['l2'], '2026-03-15T12:00:00Z', '')).toEqual([]);
    const bytes = store.export();
    store.close();
    const warnings: string[] = [];
    const again = await LessonsStore.open(bytes, 'reopened', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(again.decisionState()).toEqual(s);
    expect([...again.harvestRows()].map((r) => r.id)).toEqual(['l1']);
    again.saveDecisionState(s); // the same again: nothing doubles
    expect(again.decisionState().decisions).toHaveLength(2);
    again.close();
  });
});
