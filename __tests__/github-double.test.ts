/**
 * The GitHub double itself: its answers follow GitHub's published shapes (OpenAPI for REST, the
 * GraphQL schema for GraphQL), it paginates, counts and fails like GitHub does.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { validate } from '@octokit/graphql-schema';
import { GRAPHQL_DOCUMENTS } from '../src/github/readPullRequest.js';
import { startGitHubDouble, type GitHubDouble, type Json } from './support/githubDouble.js';
import { checkSchema, responseSchema } from './support/openapiCheck.js';
import { realData, seedRealPulls, SEEDED } from './support/realData.js';
import { clientFor } from './support/octokitForDouble.js';

let double: GitHubDouble;

beforeAll(async () => {
  double = await startGitHubDouble();
  seedRealPulls(double);
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => {
  double.resetLog();
});

const WA = `${SEEDED.pr2965.owner}/${SEEDED.pr2965.repo}`;

/**
 * Where real GitHub answers disagree with its own OpenAPI description ("[Schema Inaccuracy]" issues in
 * github/rest-api-description). `line` is null on outdated review comments: the real payloads in the
 * data folder show it (42 of pr2965's 84 comments), while the description types it as a plain integer.
 */
const KNOWN_SPEC_GAPS: Record<string, RegExp[]> = {
  '/repos/{owner}/{repo}/pulls/{pull_number}/comments': [/^\$\[\d+\]\.line: expected integer, got null$/],
};

function specErrors(path: string, data: unknown): string[] {
  const gaps = KNOWN_SPEC_GAPS[path] ?? [];
  return checkSchema(responseSchema('get', path), data).filter((e) => !gaps.some((g) => g.test(e)));
}

async function get(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${double.url}${path}`, { ...init, headers: { authorization: 'token x', ...(init.headers ?? {}) } });
}

async function graphql(query: string, variables: Json = {}): Promise<Json> {
  const res = await fetch(`${double.url}/graphql`, {
    method: 'POST',
    headers: { authorization: 'token x', 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

describe('REST answers follow the OpenAPI description', () => {
  const cases: Array<[string, { owner: string; repo: string; pull_number: number }]> = [
    ['/repos/{owner}/{repo}/pulls/{pull_number}', SEEDED.pr2965],
    ['/repos/{owner}/{repo}/pulls/{pull_number}/reviews', SEEDED.pr84],
    ['/repos/{owner}/{repo}/pulls/{pull_number}/reviews', SEEDED.pr2965],
    ['/repos/{owner}/{repo}/pulls/{pull_number}/comments', SEEDED.pr2965],
    ['/repos/{owner}/{repo}/pulls/{pull_number}/comments', SEEDED.pr3325],
    ['/repos/{owner}/{repo}/issues/{issue_number}/comments', SEEDED.pr5049],
    ['/repos/{owner}/{repo}/issues/{issue_number}/comments', SEEDED.pr3415],
  ];

  it.each(cases)('GET %s (%p)', async (path, pr) => {
    const { octokit } = clientFor(double);
    const route = `GET ${path}`;
    const params = { owner: pr.owner, repo: pr.repo, pull_number: pr.pull_number, issue_number: pr.pull_number };
    const data: unknown = path.endsWith('}')
      ? (await octokit.request(route, params)).data
      : await octokit.paginate(route, { ...params, per_page: 100 });
    if (Array.isArray(data)) expect(data.length).toBeGreaterThan(0);
    expect(specErrors(path, data)).toEqual([]);
  });

  it('the checker does catch a response that breaks the description', () => {
    const broken = structuredClone(realData.reviewComments3325().slice(0, 2));
    broken[0]!.id = String(broken[0]!.id);
    delete broken[1]!.user;
    const errors = specErrors('/repos/{owner}/{repo}/pulls/{pull_number}/comments', broken);
    expect(errors).toEqual(
      expect.arrayContaining(['$[0].id: expected integer, got string', '$[1]: missing required property "user"']),
    );
  });

  it('the spec gap allowance is needed (real data has null lines) and narrow', () => {
    const raw = checkSchema(responseSchema('get', '/repos/{owner}/{repo}/pulls/{pull_number}/comments'), realData.reviewComments2965());
    expect(raw.length).toBe(42);
    expect(raw.every((e) => /\.line: expected integer, got null$/.test(e))).toBe(true);
  });
});

describe('REST pagination like GitHub', () => {
  it('defaults to 30 per page and links next/last through /repositories/{id}', async () => {
    const res = await get(`/repos/${WA}/pulls/2965/comments`);
    expect(res.status).toBe(200);
    const page1 = (await res.json()) as Json[];
    expect(page1).toHaveLength(30);
    const link = res.headers.get('link') ?? '';
    const repoId = double.repo(SEEDED.pr2965.owner, SEEDED.pr2965.repo)!.id;
    expect(link).toContain(`${double.url}/repositories/${repoId}/pulls/2965/comments?per_page=30&page=2>; rel="next"`);
    expect(link).toContain('page=3>; rel="last"');
    expect(link).not.toContain('rel="prev"');

    // Following the link (as Octokit does) serves the same list's next page.
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
    const res2 = await fetch(next, { headers: { authorization: 'token x' } });
    const page2 = (await res2.json()) as Json[];
    expect(page2.map((c) => c.id)).toEqual(realData.reviewComments2965().map((c) => c.id).sort((a, b) => a - b).slice(30, 60));
    expect(double.requests.at(-1)!.route).toBe('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments');

    const res3 = await get(`/repos/${WA}/pulls/2965/comments?page=3`);
    expect((await res3.json()) as Json[]).toHaveLength(24);
    const link3 = res3.headers.get('link') ?? '';
    expect(link3).toContain('rel="prev"');
    expect(link3).toContain('rel="first"');
    expect(link3).not.toContain('rel="next"');
  });

  it('caps per_page at 100 and has no Link header for a single page', async () => {
    const res = await get(`/repos/${WA}/pulls/2965/comments?per_page=500`);
    expect((await res.json()) as Json[]).toHaveLength(84);
    expect(res.headers.get('link')).toBeNull();
  });

  it('octokit.paginate follows the Link headers to the end', async () => {
    const { octokit } = clientFor(double);
    const all = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...SEEDED.pr2965, per_page: 30 });
    expect(all).toHaveLength(84);
    expect(new Set(all.map((c) => c.id)).size).toBe(84);
    expect(double.requests.map((r) => r.path.split('/')[1])).toEqual(['repos', 'repositories', 'repositories']);
  });

  it('answers 404 for an unknown PR or path', async () => {
    expect((await get(`/repos/${WA}/pulls/999999/comments`)).status).toBe(404);
    expect((await get('/repos/nobody/nothing/pulls/1')).status).toBe(404);
    const res = await get('/no/such/route');
    expect(res.status).toBe(404);
    expect(double.requests.at(-1)!.route).toBeNull();
  });
});

describe('rate-limit headers, request log, auth', () => {
  it('sends x-ratelimit-* per resource and records each request', async () => {
    const a = await get(`/repos/${WA}/pulls/2965`);
    const b = await get(`/repos/${WA}/pulls/2965`);
    expect(Number(a.headers.get('x-ratelimit-remaining')) - Number(b.headers.get('x-ratelimit-remaining'))).toBe(1);
    expect(a.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(a.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const g = await fetch(`${double.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(g.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(double.count('GET /repos/{owner}/{repo}/pulls/{pull_number}')).toBe(2);
    expect(double.count('POST /graphql')).toBe(1);
    expect(double.count()).toBe(3);
  });

  it('answers 401 Bad credentials to an unknown token when tokens are set', async () => {
    const strict = await startGitHubDouble({ tokens: ['good'] });
    try {
      strict.addPull('o/r', { number: 1 });
      const bad = await fetch(`${strict.url}/repos/o/r/pulls/1`, { headers: { authorization: 'token bad' } });
      expect(bad.status).toBe(401);
      expect(((await bad.json()) as Json).message).toBe('Bad credentials');
      const good = await fetch(`${strict.url}/repos/o/r/pulls/1`, { headers: { authorization: 'token good' } });
      expect(good.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('faults on demand', () => {
  const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
  const path = `/repos/${WA}/pulls/2965`;

  it('secondary rate limit: 403 with retry-after and the documented message, for `times` requests', async () => {
    double.fault(route, { kind: 'secondary-rate-limit', retryAfter: 7 }, 2);
    for (let i = 0; i < 2; i++) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(((await res.json()) as Json).message).toMatch(/secondary rate limit/);
    }
    expect((await get(path)).status).toBe(200);
    expect(double.requests.map((r) => r.fault ?? null)).toEqual(['secondary-rate-limit', 'secondary-rate-limit', null]);
  });

  it('secondary rate limit as 429; primary rate limit as 403 with remaining 0', async () => {
    double.fault(route, { kind: 'secondary-rate-limit', status: 429, retryAfter: 2 });
    const a = await get(path);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('2');
    double.fault(route, { kind: 'rate-limit', resetIn: 30 });
    const b = await get(path);
    expect(b.status).toBe(403);
    expect(b.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(b.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 20);
    expect(((await b.json()) as Json).message).toMatch(/API rate limit exceeded/);
  });

  it('5xx, 404, 401 and 403 faults, on one route or any (*)', async () => {
    double.fault(route, { kind: 'server-error', status: 503 });
    expect((await get(path)).status).toBe(503);
    double.fault(route, { kind: 'not-found' });
    expect((await get(path)).status).toBe(404);
    double.fault('*', { kind: 'unauthorized' });
    expect((await get(`/repos/${WA}/pulls/2965/reviews`)).status).toBe(401);
    double.fault(route, { kind: 'forbidden' });
    const f = await get(path);
    expect(f.status).toBe(403);
    expect(((await f.json()) as Json).message).toBe('Resource not accessible by integration');
    expect((await get(path)).status).toBe(200);
  });

  it('refuses a fault for a route it does not serve', () => {
    expect(() => double.fault('GET /nope', { kind: 'not-found' })).toThrow(/no route/);
  });
});

describe('GraphQL against GitHub’s schema', () => {
  it('answers NOT_FOUND like GitHub for a missing repository or PR', async () => {
    const q = 'query($o: String!, $r: String!, $n: Int!) { repository(owner: $o, name: $r) { pullRequest(number: $n) { number } } }';
    const noRepo = await graphql(q, { o: 'nobody', r: 'nothing', n: 1 });
    expect(noRepo.data).toEqual({ repository: null });
    expect(noRepo.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'nobody/nothing'." });
    const noPr = await graphql(q, { o: SEEDED.pr2965.owner, r: SEEDED.pr2965.repo, n: 999999 });
    expect(noPr.data).toEqual({ repository: { pullRequest: null } });
    expect(noPr.errors[0]).toMatchObject({ type: 'NOT_FOUND', path: ['repository', 'pullRequest'] });
  });

  it('rejects a query that does not fit the schema', async () => {
    const res = await graphql('{ repository(owner: "a", name: "b") { pullRequest(number: 1) { noSuchField } } }');
    expect(res.data).toBeUndefined();
    expect(res.errors[0].message).toMatch(/noSuchField/);
  });

  it('databaseId overflows for ids above 2^31 (use fullDatabaseId)', async () => {
    const q = `query { repository(owner: "${SEEDED.pr84.owner}", name: "${SEEDED.pr84.repo}") { pullRequest(number: 84) {
      reviews(first: 1) { nodes { fullDatabaseId databaseId } } } } }`;
    const res = await graphql(q);
    expect(res.errors[0].message).toMatch(/Int cannot represent/);
    const ok = await graphql(q.replace(' databaseId', ''));
    expect(ok.errors).toBeUndefined();
    expect(ok.data.repository.pullRequest.reviews.nodes[0].fullDatabaseId).toBe(String(realData.reviews84()[0]!.id));
    expect(Number(ok.data.repository.pullRequest.reviews.nodes[0].fullDatabaseId)).toBeGreaterThan(2 ** 31);
  });

  it('connections need first/last ≤ 100 and paginate by cursor', async () => {
    const base = (args: string) =>
      `query { repository(owner: "${SEEDED.pr2965.owner}", name: "${SEEDED.pr2965.repo}") { pullRequest(number: 2965) {
        reviewThreads(${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { id comments(first: 5) { nodes { fullDatabaseId author { login } } } } } } } }`;
    const tooMany = await graphql(base('first: 101'));
    expect(tooMany.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION' });
    const none = await graphql(base('').replace('reviewThreads()', 'reviewThreads'));
    expect(none.errors[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES' });

    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res = await graphql(base(after ? `first: 10, after: "${after}"` : 'first: 10'));
      const conn = res.data.repository.pullRequest.reviewThreads;
      expect(conn.totalCount).toBe(34);
      ids.push(...conn.nodes.map((n: Json) => n.id));
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(new Set(ids).size).toBe(34);
  });

  it('shows bot logins without [bot] and Copilot as copilot-pull-request-reviewer', async () => {
    const res = await graphql(`query { repository(owner: "${SEEDED.pr2965.owner}", name: "${SEEDED.pr2965.repo}") { pullRequest(number: 2965) {
      reviewThreads(first: 100) { nodes { comments(first: 100) { nodes { author { __typename login } } } } } } } }`);
    const logins = new Set<string>(
      res.data.repository.pullRequest.reviewThreads.nodes.flatMap((t: Json) => t.comments.nodes.map((c: Json) => `${c.author.__typename}:${c.author.login}`)),
    );
    expect([...logins].sort()).toEqual(
      ['Bot:chatgpt-codex-connector', 'Bot:coderabbitai', 'Bot:copilot-pull-request-reviewer', 'Bot:cursor', 'User:jleechan2015'].sort(),
    );
  });

  it("the project's GraphQL documents validate against GitHub's schema", () => {
    for (const doc of GRAPHQL_DOCUMENTS) expect(validate(doc).map((e) => e.message)).toEqual([]);
    // ...and the validator does reject a query GitHub would reject (databaseId is fine, `nope` is not).
    expect(validate('{ viewer { nope } }').length).toBeGreaterThan(0);
  });
});
