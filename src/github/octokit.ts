/**
 * The one place an Octokit client is made: `@octokit/rest` with plugin-throttling and plugin-retry.
 *
 * Who retries what:
 * - **Rate limits** (403/429 that GitHub marks as a secondary rate limit, or a primary limit with
 *   `x-ratelimit-remaining: 0`, or a GraphQL `RATE_LIMITED` error) are retried by plugin-throttling,
 *   which waits what GitHub says (`retry-after`, or until `x-ratelimit-reset`). We retry at most
 *   `rateLimitRetries` times and give up at once when GitHub asks for a wait longer than
 *   `maxRetryAfterSeconds` (a job should fail clearly rather than sleep for an hour).
 * - **Server errors** (5xx, and GraphQL's "Something went wrong while executing your query") are
 *   retried by plugin-retry, `serverErrorRetries` times with quadratic back-off.
 * - 429 is kept away from plugin-retry so one rate-limited request is not retried by both plugins
 *   (which would multiply the attempts and ignore `retry-after`). 4xx client errors (409 included) are
 *   never retried.
 *
 * Spacing: plugin-throttling also spaces requests out, as GitHub's guidance against secondary rate limits
 * asks: one write (or GraphQL call) at a time at least 1 s apart, writes that notify people (issues,
 * comments) 3 s apart, searches 2 s apart. Those are the defaults and production keeps them.
 * `spacingMs` replaces the three gaps by one (0: none) for clients that talk to the local GitHub double
 * in tests, where the spacing only costs time; it gives each such client its own queues.
 *
 * Pagination goes only through `octokit.paginate` (REST `Link` headers) and GraphQL cursors.
 */
import { Octokit as RestOctokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

const MyceliumOctokitClass = RestOctokit.plugin(throttling, retry);
export type MyceliumOctokit = InstanceType<typeof MyceliumOctokitClass>;

export interface OctokitLog {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** Reported before each rate-limit retry (and when one is refused), for logs and tests. */
export interface RateLimitEvent {
  kind: 'secondary-rate-limit' | 'rate-limit';
  /** What GitHub asked us to wait, in seconds. */
  retryAfterSeconds: number;
  method: string;
  url: string;
  /** Retries already made for this request (0 on the first limit hit). */
  retryCount: number;
  willRetry: boolean;
}

export interface CreateOctokitOptions {
  token: string;
  /** REST API root, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3` (`github.context.apiUrl`). */
  baseUrl: string;
  userAgent?: string;
  log?: OctokitLog;
  /** Rate-limit retries per request (default 3). */
  rateLimitRetries?: number;
  /** A rate limit asking for a longer wait than this fails instead (default 300 s). */
  maxRetryAfterSeconds?: number;
  /** Retries of 5xx responses per request (default 3). */
  serverErrorRetries?: number;
  /**
   * Milliseconds per unit of wait (default 1000): throttling waits `retry-after × this`, plugin-retry
   * waits `(attempt)² × this`. Tests pass 1 so a `retry-after: 1` costs a millisecond.
   */
  retryAfterBaseMs?: number;
  /** Key of the throttling queues; clients with the same id share them (default "mycelium"). */
  throttleId?: string;
  /**
   * Minimum gap in ms between two writes or GraphQL calls, two notifying writes, and two searches of this
   * client (default: plugin-throttling's 1000, 3000 and 2000, as GitHub asks). Writes stay one at a time.
   * For tests against the local double (0); never lower it against github.com.
   */
  spacingMs?: number;
  onRateLimit?: (event: RateLimitEvent) => void;
}

const DEFAULTS = {
  userAgent: 'mycelium-action',
  rateLimitRetries: 3,
  maxRetryAfterSeconds: 300,
  serverErrorRetries: 3,
  retryAfterBaseMs: 1000,
  throttleId: 'mycelium',
};

/**
 * GitHub's client errors, never worth retrying; 429 belongs to plugin-throttling (see above). 409 is a
 * conflict (stale contents sha, empty repository): repeating the same request cannot succeed, the caller
 * has to re-read first.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

/** plugin-throttling's write, notification and search queues, all with the one gap `ms`. */
function spacedQueues(ms: number): { write: Bottleneck.Group; notifications: Bottleneck.Group; search: Bottleneck.Group } {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`Octokit spacing must be a number of milliseconds >= 0, got ${ms}`);
  const queue = (id: string) => new Bottleneck.Group({ id: `mycelium-${id}`, maxConcurrent: 1, minTime: ms, timeout: 120_000 });
  return { write: queue('write'), notifications: queue('notifications'), search: queue('search') };
}

export function createOctokit(options: CreateOctokitOptions): MyceliumOctokit {
  if (!options.token) throw new Error('GitHub token is empty: pass the github-token input (e.g. ${{ github.token }})');
  if (!options.baseUrl) throw new Error('GitHub API URL is empty');
  const rateLimitRetries = options.rateLimitRetries ?? DEFAULTS.rateLimitRetries;
  const maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? DEFAULTS.maxRetryAfterSeconds;
  const baseMs = options.retryAfterBaseMs ?? DEFAULTS.retryAfterBaseMs;

  const onLimit =
    (kind: RateLimitEvent['kind']) =>
    (retryAfter: number, req: { method: string; url: string }, octokit: { log: OctokitLog }, retryCount: number): boolean => {
      const willRetry = retryCount < rateLimitRetries && retryAfter <= maxRetryAfterSeconds;
      const event: RateLimitEvent = { kind, retryAfterSeconds: retryAfter, method: req.method, url: req.url, retryCount, willRetry };
      options.onRateLimit?.(event);
      const what = kind === 'secondary-rate-limit' ? 'secondary rate limit' : 'rate limit';
      if (willRetry) {
        octokit.log.warn(`GitHub ${what} on ${req.method} ${req.url}: retrying in ${retryAfter}s (retry ${retryCount + 1}/${rateLimitRetries})`);
      } else {
        octokit.log.warn(`GitHub ${what} on ${req.method} ${req.url}: giving up (retry-after ${retryAfter}s, ${retryCount} retries made)`);
      }
      return willRetry;
    };

  return new MyceliumOctokitClass({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
    ...(options.log ? { log: options.log } : {}),
    throttle: {
      id: options.throttleId ?? DEFAULTS.throttleId,
      retryAfterBaseValue: baseMs,
      onRateLimit: onLimit('rate-limit'),
      onSecondaryRateLimit: onLimit('secondary-rate-limit'),
      ...(options.spacingMs !== undefined ? spacedQueues(options.spacingMs) : {}),
    },
    retry: {
      retries: options.serverErrorRetries ?? DEFAULTS.serverErrorRetries,
      retryAfterBaseValue: baseMs,
      doNotRetry: DO_NOT_RETRY,
    },
  });
}
