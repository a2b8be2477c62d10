/** Octokit clients (the project's own factory) pointed at a GitHub double, quiet and fast for tests. */
import { createOctokit, type CreateOctokitOptions, type MyceliumOctokit, type OctokitLog, type RateLimitEvent } from '../../src/github/octokit.js';
import type { GitHubDouble } from './githubDouble.js';

export interface TestClient {
  octokit: MyceliumOctokit;
  rateLimitEvents: RateLimitEvent[];
  logs: { level: string; message: string }[];
}

let clients = 0;

export function clientFor(double: GitHubDouble, over: Partial<CreateOctokitOptions> = {}): TestClient {
  const rateLimitEvents: RateLimitEvent[] = [];
  const logs: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void logs.push({ level, message });
  const log: OctokitLog = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const octokit = createOctokit({
    token: 'test-token',
    baseUrl: double.url,
    log,
    retryAfterBaseMs: 1,
    // No spacing between writes, GraphQL calls and notifying writes: GitHub asks for it, the double does not,
    // and at 1-3 s a request it made the GitHub-facing suites mostly sleep. A test may pass its own.
    spacingMs: 0,
    // Own throttling queues per client, so that clients of different tests never wait on each other.
    throttleId: `test-${++clients}`,
    onRateLimit: (e) => void rateLimitEvents.push(e),
    ...over,
  });
  return { octokit, rateLimitEvents, logs };
}
