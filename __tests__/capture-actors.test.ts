import { describe, expect, it } from '@jest/globals';
import { ActorClassifier, defaultTrustPolicy, normalizeLogin } from '../src/capture/actors.js';

const classifier = new ActorClassifier(defaultTrustPolicy());

describe('bot and AI reviewer recognition', () => {
  it.each([
    ['Copilot', 'Bot'],
    ['copilot-pull-request-reviewer', null], // GraphQL: no [bot] suffix, no type
    ['copilot-pull-request-reviewer[bot]', 'Bot'],
    ['gemini-code-assist', null],
    ['cursor', null],
    ['cursor[bot]', 'Bot'],
    ['coderabbitai[bot]', 'Bot'],
    ['chatgpt-codex-connector[bot]', 'Bot'],
    ['greptile-apps[bot]', 'Bot'],
    ['github-code-quality', null],
    ['sourcery-ai[bot]', 'Bot'],
    ['korbit-ai[bot]', 'Bot'],
  ])('%s is an AI reviewer', (login, type) => {
    const a = classifier.classify(login, type, 'NONE');
    expect(a.kind).toBe('ai-reviewer');
    expect(a.trusted).toBe(false);
  });

  it('recognizes CI bots by list even with type User (k8s-ci-robot), and by suffix or type', () => {
    expect(classifier.classify('k8s-ci-robot', 'User', 'CONTRIBUTOR').kind).toBe('bot');
    expect(classifier.classify('linux-foundation-easycla[bot]', 'Bot', 'NONE').kind).toBe('bot');
    expect(classifier.classify('some-new-app[bot]', 'Bot', 'NONE').kind).toBe('bot');
    expect(classifier.classify('mystery', 'Bot', 'MEMBER').kind).toBe('bot');
    expect(classifier.classify('release-bot', 'User', 'MEMBER').kind).toBe('bot');
    // A bot account is never trusted, whatever its association.
    expect(classifier.classify('mystery', 'Bot', 'MEMBER').trusted).toBe(false);
  });

  it('treats an author-less comment as unknown and untrusted', () => {
    const a = classifier.classify(null, null, null);
    expect(a).toMatchObject({ kind: 'unknown', trusted: false, login: null });
  });

  it('normalizes logins for list matching', () => {
    expect(normalizeLogin(' CodeRabbitAI[bot] ')).toBe('coderabbitai');
  });
});

describe('trust policy', () => {
  it('trusts OWNER/MEMBER/COLLABORATOR humans by default, not CONTRIBUTOR or NONE', () => {
    for (const assoc of ['OWNER', 'MEMBER', 'COLLABORATOR', 'member']) expect(classifier.classify('alice', 'User', assoc).trusted).toBe(true);
    for (const assoc of ['CONTRIBUTOR', 'NONE', 'FIRST_TIME_CONTRIBUTOR', null]) expect(classifier.classify('bob', 'User', assoc).trusted).toBe(false);
  });

  it('trusts CONTRIBUTOR when configured', () => {
    const c = new ActorClassifier(defaultTrustPolicy({ includeContributors: true }));
    expect(c.classify('bob', 'User', 'CONTRIBUTOR').trusted).toBe(true);
    expect(c.classify('bob', 'User', 'NONE').trusted).toBe(false);
  });

  it('allow list trusts a login with any association; deny list beats everything', () => {
    const c = new ActorClassifier(defaultTrustPolicy({ allowLogins: ['Outsider'], denyLogins: ['alice', 'Copilot'] }));
    expect(c.classify('outsider', 'User', 'NONE').trusted).toBe(true);
    const alice = c.classify('alice', 'User', 'OWNER');
    expect(alice.trusted).toBe(false);
    expect(alice.denied).toBe(true);
    expect(c.classify('Copilot', 'Bot', 'NONE').denied).toBe(true);
  });

  it('extra AI reviewers and bots can be named; pr-retro posting needs trust or the agent list', () => {
    const c = new ActorClassifier(defaultTrustPolicy({ aiReviewers: ['acme-reviewer'], bots: ['acme-ci'], agentLogins: ['retro-agent[bot]'] }));
    expect(c.classify('acme-reviewer', 'User', 'NONE').kind).toBe('ai-reviewer');
    expect(c.classify('acme-ci', 'User', 'MEMBER').kind).toBe('bot');
    expect(c.mayPostRetro(c.classify('retro-agent[bot]', 'Bot', 'NONE'))).toBe(true);
    expect(c.mayPostRetro(c.classify('other[bot]', 'Bot', 'NONE'))).toBe(false);
    expect(c.mayPostRetro(c.classify('alice', 'User', 'MEMBER'))).toBe(true);
    expect(c.mayPostRetro(c.classify('bob', 'User', 'NONE'))).toBe(false);
  });
});
