/**
 * Turns what Octokit throws (RequestError, GraphqlResponseError, throttling's GraphQL rate-limit error,
 * network failures) into one clear line that names what we were reading.
 */

interface GraphqlErrorEntry {
  type?: string;
  message?: string;
  path?: ReadonlyArray<string | number>;
}

interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  errors?: GraphqlErrorEntry[];
  response?: { status?: number; headers?: Record<string, string | number | undefined>; data?: unknown };
  request?: { request?: { retryCount?: number } };
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** GitHub's `message` without the trailing " - https://docs.github.com/..." that Octokit appends. */
function gitHubMessage(err: ErrorLike): string {
  const data = err.response?.data as { message?: unknown } | undefined;
  if (data && typeof data.message === 'string') return oneLine(data.message);
  return oneLine((err.message ?? '').replace(/\s+-\s+https:\/\/docs\.github\.com\S*$/, ''));
}

function isRateLimit(err: ErrorLike): boolean {
  const headers = err.response?.headers ?? {};
  if (String(headers['x-ratelimit-remaining'] ?? '') === '0') return true;
  if ((err.errors ?? []).some((e) => e.type === 'RATE_LIMITED')) return true;
  const data = err.response?.data as { errors?: GraphqlErrorEntry[] } | undefined;
  if ((data?.errors ?? []).some((e) => e.type === 'RATE_LIMITED')) return true;
  return /rate limit/i.test(err.message ?? '');
}

export interface DescribeOptions {
  /** What was being read, e.g. "PR octo/app#12". */
  subject: string;
  /** The message for a 404 / NOT_FOUND (defaults to "<subject> not found or token lacks access"). */
  notFound?: string;
  /** What we were doing to `subject`, e.g. "writing", "creating" (default "reading"). */
  action?: string;
  /** The access a 403 says the token needs (default "contents, pull-requests and issues read"). */
  access?: string;
}

/** One line saying what went wrong; never throws. */
export function describeGitHubError(
  error: unknown,
  { subject, notFound, action = 'reading', access = 'contents, pull-requests and issues read' }: DescribeOptions,
): string {
  const err = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const notFoundLine = notFound ?? `${subject} not found or token lacks access`;

  if (err.name === 'GraphqlResponseError' && err.errors?.length) {
    if (err.errors.some((e) => e.type === 'NOT_FOUND')) return notFoundLine;
    if (err.errors.some((e) => e.type === 'FORBIDDEN')) {
      return `GitHub denied access ${action} ${subject} (${oneLine(err.errors[0]?.message ?? 'FORBIDDEN')}): the token needs ${access} access`;
    }
    if (isRateLimit(err)) return `GitHub rate limit exceeded ${action} ${subject}, gave up after retrying`;
    return `GitHub GraphQL error ${action} ${subject}: ${oneLine(err.errors.map((e) => e.message ?? e.type ?? '?').join('; '))}`;
  }

  const status = err.status ?? err.response?.status;
  if (status === 404) return notFoundLine;
  if (status === 401) return `GitHub rejected the token (401 ${gitHubMessage(err) || 'Bad credentials'}) ${action} ${subject}: check the github-token input`;
  if ((status === 403 || status === 429) && isRateLimit(err)) {
    const after = err.response?.headers?.['retry-after'];
    return `GitHub rate limit exceeded ${action} ${subject} (HTTP ${status}${after !== undefined ? `, retry-after ${after}s` : ''}), gave up after retrying`;
  }
  if (status === 403) {
    return `GitHub denied access (403 ${gitHubMessage(err)}) ${action} ${subject}: the token needs ${access} access`;
  }
  if (status === 429) return `GitHub throttled the request (429) ${action} ${subject}, gave up after retrying`;
  if (status !== undefined && status >= 500 && err.response) {
    return `GitHub server error (HTTP ${status}) ${action} ${subject}, still failing after retries`;
  }
  if (status !== undefined && status >= 500 && !err.response) {
    return `Could not reach GitHub ${action} ${subject}: ${oneLine(err.message ?? 'network error')}`;
  }
  if (status !== undefined) return `GitHub answered HTTP ${status} ${action} ${subject}: ${gitHubMessage(err)}`;
  if (isRateLimit(err)) return `GitHub rate limit exceeded ${action} ${subject}, gave up after retrying`;
  return `Failed ${action} ${subject}: ${oneLine(err.message ?? String(error))}`;
}

/** An Error whose message is {@link describeGitHubError}'s line; the original error is its `cause`. */
export class GitHubRequestError extends Error {
  override readonly name: string = 'GitHubRequestError';
  readonly status: number | undefined;
  constructor(error: unknown, options: DescribeOptions) {
    super(describeGitHubError(error, options), { cause: error });
    const err = error as ErrorLike | null;
    this.status = err?.status ?? err?.response?.status;
  }
}

/** A GitHub read (GET, GraphQL query) that failed. */
export class GitHubReadError extends GitHubRequestError {
  override readonly name: string = 'GitHubReadError';
}

/** A GitHub write (creating or updating an issue, label, file, commit or ref) that failed. */
export class GitHubWriteError extends GitHubRequestError {
  override readonly name: string = 'GitHubWriteError';
  constructor(error: unknown, options: DescribeOptions & { action: string }) {
    super(error, options);
  }
}
