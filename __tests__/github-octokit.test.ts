/** The Octokit factory and the error lines, over real HTTP against the GitHub double. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readActionContext } from '../src/action/context.js';
import { createOctokit } from '../src/github/octokit.js';
import { describeGitHubError, GitHubReadError } from '../src/github/errors.js';
import { readPrBundle } from '../src/github/readPullRequest.js';
import { startGitHubDouble, type GitHubDouble } from './support/githubDouble.js';
import { clientFor } from './support/octokitForDouble.js';

const PULL = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
let double: GitHubDouble;

beforeAll(async () => {
  double = await startGitHubDouble();
  double.addPull('acme/app', { number: 7 });
});
afterAll(async () => {
  await double.close();
});
beforeEach(() => double.resetLog());

describe('createOctokit', () => {
  it('sends the token and a mycelium user agent to the given base URL (trailing slash tolerated)', async () => {
    const { octokit } = clientFor(double, { token: 'ghs_abc', baseUrl: `${double.url}/` });
    const { data } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 });
    expect(data.number).toBe(7);
    const req = double.requests[0]!;
    expect(req.path).toBe('/repos/acme/app/pulls/7');
    expect(req.authorization).toBe('token ghs_abc');
    expect(req.userAgent).toMatch(/^mycelium-action /);
  });

  it('refuses an empty token or API URL with a clear message', () => {
    expect(() => createOctokit({ token: '', baseUrl: double.url })).toThrow(/GitHub token is empty/);
    expect(() => createOctokit({ token: 't', baseUrl: '' })).toThrow(/API URL is empty/);
  });

  it('retries 5xx three times by default, then fails', async () => {
    double.fault(PULL, { kind: 'server-error', status: 500 }, 10);
    const { octokit } = clientFor(double);
    await expect(octokit.rest.pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 })).rejects.toMatchObject({ status: 500 });
    expect(double.count(PULL)).toBe(4);
  });

  it('never retries client errors (404, 401, plain 403)', async () => {
    const { octokit } = clientFor(double);
    for (const kind of ['not-found', 'unauthorized', 'forbidden'] as const) {
      double.resetLog();
      double.fault(PULL, { kind }, 5);
      await expect(octokit.rest.pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 })).rejects.toHaveProperty('status');
      expect(double.count(PULL)).toBe(1);
    }
  });

  it('a secondary rate limit without retry-after falls back to the plugin default wait, bounded by maxRetryAfterSeconds', async () => {
    double.fault(PULL, { kind: 'secondary-rate-limit', retryAfter: null }, 1);
    const client = clientFor(double, { maxRetryAfterSeconds: 10 });
    await expect(client.octokit.rest.pulls.get({ owner: 'acme', repo: 'app', pull_number: 7 })).rejects.toMatchObject({ status: 403 });
    expect(client.rateLimitEvents).toEqual([expect.objectContaining({ kind: 'secondary-rate-limit', retryAfterSeconds: 60, willRetry: false })]);
  });
});

describe('request spacing (plugin-throttling: GraphQL calls and writes one at a time, spaced)', () => {
  const QUERY = 'query { repository(owner: "acme", name: "app") { pullRequest(number: 7) { number } } }';
  async function msForGraphqlCalls(over: Parameters<typeof clientFor>[1], calls: number): Promise<number> {
    const { octokit } = clientFor(double, over);
    const start = performance.now();
    for (let i = 0; i < calls; i++) await octokit.graphql(QUERY);
    return performance.now() - start;
  }

  it('keeps GitHub’s 1 s between GraphQL calls by default (production)', async () => {
    // clientFor sets spacingMs 0 for speed; undefined restores the factory's default.
    expect(await msForGraphqlCalls({ spacingMs: undefined }, 2)).toBeGreaterThanOrEqual(950);
  });

  it('spacingMs sets the gap (here 150 ms), and 0 removes it', async () => {
    expect(await msForGraphqlCalls({ spacingMs: 150 }, 3)).toBeGreaterThanOrEqual(290);
    expect(await msForGraphqlCalls({ spacingMs: 0 }, 3)).toBeLessThan(2000); // the default would take >= 2 s
  });

  it('refuses a negative or non-finite spacing', () => {
    expect(() => clientFor(double, { spacingMs: -1 })).toThrow(/spacing must be a number of milliseconds >= 0/);
    expect(() => clientFor(double, { spacingMs: Number.NaN })).toThrow(/spacing/);
  });

  it('the action takes MYCELIUM_TEST_THROTTLE_MS only for an API on this machine (the tests’ double)', () => {
    const env = { GITHUB_REPOSITORY: 'acme/app', GITHUB_EVENT_NAME: 'schedule', MYCELIUM_TEST_THROTTLE_MS: '0' };
    expect(readActionContext({ ...env, GITHUB_API_URL: double.url }).octokitSpacingMs).toBe(0);
    expect(readActionContext({ ...env, GITHUB_API_URL: 'https://api.github.com' }).octokitSpacingMs).toBeUndefined();
    expect(readActionContext({ ...env }).octokitSpacingMs).toBeUndefined(); // defaults to api.github.com
    expect(() => readActionContext({ ...env, MYCELIUM_TEST_THROTTLE_MS: 'fast' })).toThrow(/whole number of milliseconds/);
  });
});

describe('error lines', () => {
  it('an unreachable API is named as such (after retries)', async () => {
    const gone = await startGitHubDouble();
    const url = gone.url;
    await gone.close();
    const octokit = createOctokit({ token: 't', baseUrl: url, retryAfterBaseMs: 1, serverErrorRetries: 1, throttleId: 'gone', log: quiet() });
    const err = await readPrBundle(octokit, { owner: 'a', repo: 'b', pull_number: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GitHubReadError);
    expect((err as Error).message).toMatch(/^Could not reach GitHub reading PR a\/b#1: /);
    expect((err as Error).message).not.toContain('\n');
  });

  it('GraphQL errors: NOT_FOUND, FORBIDDEN, RATE_LIMITED, others', () => {
    const gql = (type: string, message = 'm') => ({ name: 'GraphqlResponseError', message, errors: [{ type, message }] });
    const subject = 'PR o/r#1';
    expect(describeGitHubError(gql('NOT_FOUND'), { subject })).toBe('PR o/r#1 not found or token lacks access');
    expect(describeGitHubError(gql('FORBIDDEN', 'Resource not accessible by integration'), { subject })).toMatch(
      /^GitHub denied access reading PR o\/r#1 \(Resource not accessible by integration\)/,
    );
    expect(describeGitHubError(gql('RATE_LIMITED'), { subject })).toMatch(/rate limit exceeded/);
    expect(describeGitHubError(gql('SOMETHING', 'multi\nline\nmessage'), { subject })).toBe(
      'GitHub GraphQL error reading PR o/r#1: multi line message',
    );
    expect(describeGitHubError('weird', { subject })).toBe('Failed reading PR o/r#1: weird');
  });

  it('GitHubReadError keeps the status and the original error', () => {
    const original = Object.assign(new Error('Not Found'), { status: 404 });
    const err = new GitHubReadError(original, { subject: 'PR o/r#2' });
    expect(err.message).toBe('PR o/r#2 not found or token lacks access');
    expect(err.status).toBe(404);
    expect(err.cause).toBe(original);
  });
});

function quiet() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop };
}
