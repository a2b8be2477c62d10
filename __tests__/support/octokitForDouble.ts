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
    // Own throttling queue per client: GraphQL calls in one queue are spaced by the plugin.
    throttleId: `test-${++clients}`,
    onRateLimit: (e) => void rateLimitEvents.push(e),
    ...over,
  });
  return { octokit, rateLimitEvents, logs };
}
