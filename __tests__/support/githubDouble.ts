/**
 * A local GitHub double for tests: a real `node:http` server on 127.0.0.1 (port 0) that serves the REST
 * and GraphQL calls the project makes, from in-memory state.
 *
 * - REST routes live in a route table ({@link RouteDef}); add more with `double.route(...)` or by
 *   appending to {@link DEFAULT_ROUTES}. Route keys are Octokit/OpenAPI route strings, e.g.
 *   `GET /repos/{owner}/{repo}/pulls/{pull_number}/comments`.
 * - Lists paginate like GitHub: `per_page` (default 30, max 100) and `page`, with a `Link` header
 *   (`rel="next"`, `"last"`, `"first"`, `"prev"`) whose URLs use `/repositories/{id}/...` as GitHub's do.
 * - GraphQL (`POST /graphql`) executes the query against GitHub's real schema (@octokit/graphql-schema)
 *   with resolvers over the same state, so an invalid query fails as it would on GitHub. Connections
 *   need `first`/`last` ≤ 100 and paginate by cursor; `databaseId` overflows for ids above 2^31 exactly
 *   as GitHub's Int does, so `fullDatabaseId` must be used.
 * - Every answer carries `x-ratelimit-*` headers (per resource: core, graphql). A GraphQL query is charged
 *   the points GitHub's published formula gives it ({@link graphqlQueryLimits}, read from the query's syntax
 *   tree), reported by `rateLimit { cost remaining }`; a query over 500,000 nodes is refused.
 * - Faults on demand (`double.fault(...)`): secondary rate limit (403/429 + retry-after), primary rate
 *   limit (403, remaining 0), 5xx, 404, 401, 403.
 * - Every request is recorded (`double.requests`) so tests can count them.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  buildClientSchema,
  graphql as executeGraphql,
  GraphQLError,
  Kind,
  parse as parseGraphql,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { schema as githubGraphqlSchema } from '@octokit/graphql-schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface ThreadState {
  id: string;
  /** REST ids of the thread's review comments, root first. */
  commentIds: number[];
  isResolved: boolean;
  /** Login of who resolved it (GraphQL `resolvedBy`). */
  resolvedBy: string | null;
  /** Defaults to "the root comment's `line` is null". */
  isOutdated?: boolean;
}

export interface PullState {
  /** The REST pull object (what `GET /repos/{o}/{r}/pulls/{n}` returns). */
  pull: Json;
  reviews: Json[];
  reviewComments: Json[];
  issueComments: Json[];
  threads: ThreadState[];
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  /** A REST repository object, as pulls embed it in `base.repo`. */
  repo: Json;
  pulls: Map<number, PullState>;
}

export interface PullFixture {
  number: number;
  title?: string;
  body?: string | null;
  /** REST user object of the PR author (defaults to the template's). */
  user?: Json;
  merged?: boolean;
  labels?: string[];
  reviews?: Json[];
  review_comments?: Json[];
  issue_comments?: Json[];
  /**
   * Review threads. Default: one thread per root review comment (replies joined by `in_reply_to_id`),
   * unresolved; `resolved` lists root comment ids whose thread is resolved.
   */
  threads?: ThreadState[];
  resolved?: { rootIds: number[]; by: string };
  /** Extra fields merged into the REST pull object. */
  pullOverrides?: Json;
}

// ---------------------------------------------------------------------------------------------
// Templates (GitHub's own example payloads)
// ---------------------------------------------------------------------------------------------

const requireCjs = createRequire(import.meta.url);
let templates: { pull: Json; repository: Json } | undefined;
function template(): { pull: Json; repository: Json } {
  if (!templates) {
    const file = requireCjs.resolve('@octokit/webhooks-examples');
    const all = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; examples: Array<Json> }>;
    const closed = all.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'closed');
    if (!closed) throw new Error('no pull_request.closed example in @octokit/webhooks-examples');
    templates = { pull: closed.pull_request as Json, repository: closed.repository as Json };
  }
  return structuredClone(templates);
}

function userUrls(login: string, over: Json = {}): Json {
  const enc = encodeURIComponent(login);
  const api = `https://api.github.com/users/${enc}`;
  return {
    login,
    id: over.id ?? 1000 + [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7),
    node_id: `U_${Buffer.from(login).toString('base64url')}`,
    avatar_url: `https://avatars.githubusercontent.com/u/1?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${enc}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
    ...over,
  };
}

/** A full REST user object (as GitHub embeds in comments), e.g. `restUser('octocat')`, `restUser('x[bot]', { type: 'Bot' })`. */
export function restUser(login: string, over: Json = {}): Json {
  return userUrls(login, over);
}

/** Rewrites every string in `value` that contains `from` (template URLs) to use `to`. */
function rewriteStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, from, to));
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteStrings(v, from, to);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

export interface RouteContext {
  double: GitHubDouble;
  params: Record<string, string>;
  url: URL;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => RouteResponse | Promise<RouteResponse>;

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** OpenAPI path template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  path: string;
  /** Rate-limit bucket (default `core`). */
  resource?: string;
  handler: RouteHandler;
}

interface CompiledRoute extends RouteDef {
  key: string;
  regex: RegExp;
  names: string[];
}

function compile(def: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([a-z_]+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...def, key: `${def.method} ${def.path}`, regex: new RegExp(`^${source}$`), names };
}

const DOCS = 'https://docs.github.com/rest';

export function notFound(): RouteResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

function pullOr404(ctx: RouteContext, numberParam = 'pull_number'): PullState | RouteResponse {
  const repo = ctx.double.repo(ctx.params.owner!, ctx.params.repo!);
  const pr = repo?.pulls.get(Number(ctx.params[numberParam]));
  return pr ?? notFound();
}

function isResponse(x: unknown): x is RouteResponse {
  return typeof x === 'object' && x !== null && 'status' in x && typeof (x as RouteResponse).status === 'number';
}

/** A list answer paginated like GitHub (per_page ≤ 100, default 30; Link header via `/repositories/{id}`). */
export function paginated(ctx: RouteContext, items: unknown[]): RouteResponse {
  const perRaw = Number(ctx.query.get('per_page') ?? '30');
  const perPage = Number.isFinite(perRaw) && perRaw >= 1 ? Math.min(100, Math.floor(perRaw)) : 30;
  const pageRaw = Number(ctx.query.get('page') ?? '1');
  const page = Number.isFinite(pageRaw) && pageRaw >= 1 ? Math.floor(pageRaw) : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);

  const repo = ctx.params.owner && ctx.params.repo ? ctx.double.repo(ctx.params.owner, ctx.params.repo) : undefined;
  const base = new URL(ctx.url.toString());
  if (repo) base.pathname = base.pathname.replace(/^\/repos\/[^/]+\/[^/]+/, `/repositories/${repo.id}`);
  const link = (p: number, rel: string) => {
    const u = new URL(base.toString());
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(p));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} };
}

function sortedById(items: Json[]): Json[] {
  return [...items].sort((a, b) => Number(a.id) - Number(b.id));
}

/** The routes the project uses today. Later tasks add Actions artifacts, contents, refs and issues. */
export const DEFAULT_ROUTES: RouteDef[] = [
  {
    // pulls.list: state filter, sort by created/updated, direction; pull-request-simple items (no `merged`).
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    handler: (ctx) => {
      const repo = ctx.double.repo(ctx.params.owner!, ctx.params.repo!);
      if (!repo) return notFound();
      const state = ctx.query.get('state') ?? 'open';
      const sort = ctx.query.get('sort') === 'updated' ? 'updated_at' : 'created_at';
      const desc = (ctx.query.get('direction') ?? 'desc') === 'desc';
      const items = [...repo.pulls.values()]
        .map((p) => p.pull)
        .filter((p) => state === 'all' || p.state === state)
        // `head=owner:branch` and `base=branch`, as GitHub filters them.
        .filter((p) => !ctx.query.get('head') || `${p.head?.repo?.owner?.login ?? ''}:${p.head?.ref}`.toLowerCase() === ctx.query.get('head')!.toLowerCase())
        .filter((p) => !ctx.query.get('base') || p.base?.ref === ctx.query.get('base'))
        .sort((a, b) => (String(a[sort]) < String(b[sort]) ? -1 : String(a[sort]) > String(b[sort]) ? 1 : a.number - b.number) * (desc ? -1 : 1))
        .map((p) => {
          const { merged: _merged, mergeable: _m, rebaseable: _r, mergeable_state: _ms, merged_by: _mb, comments: _c,
            review_comments: _rc, maintainer_can_modify: _mcm, commits: _co, additions: _a, deletions: _d, changed_files: _cf, ...simple } = p;
          return simple;
        });
      return paginated(ctx, items);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handler: (ctx) => {
      const pr = pullOr404(ctx);
      return isResponse(pr) ? pr : { status: 200, body: pr.pull };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    handler: (ctx) => {
      const pr = pullOr404(ctx);
      return isResponse(pr) ? pr : paginated(ctx, sortedById(pr.reviews));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/comments',
    handler: (ctx) => {
      const pr = pullOr404(ctx);
      return isResponse(pr) ? pr : paginated(ctx, sortedById(pr.reviewComments));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handler: (ctx) => {
      const pr = pullOr404(ctx, 'issue_number');
      return isResponse(pr) ? pr : paginated(ctx, sortedById(pr.issueComments));
    },
  },
  {
    method: 'POST',
    path: '/graphql',
    resource: 'graphql',
    handler: (ctx) => ctx.double.executeGraphql(ctx.body),
  },
];

// ---------------------------------------------------------------------------------------------
// Faults and request log
// ---------------------------------------------------------------------------------------------

export type FaultSpec =
  /** GitHub's secondary rate limit: 403 (or 429) with a "secondary rate limit" message and `retry-after`. */
  | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number | null }
  /** Primary rate limit exhausted: 403 with `x-ratelimit-remaining: 0` and a reset `resetIn` seconds ahead. */
  | { kind: 'rate-limit'; resetIn?: number }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  | { kind: 'not-found' }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden'; message?: string };

interface PendingFault {
  route: string;
  spec: FaultSpec;
  remaining: number;
}

export interface RecordedRequest {
  method: string;
  /** Path as requested (with `/repositories/{id}` if the client followed a Link). */
  path: string;
  /** Route key matched (`GET /repos/{owner}/{repo}/pulls/{pull_number}/comments`), or null. */
  route: string | null;
  query: Record<string, string>;
  status: number;
  fault?: FaultSpec['kind'];
  authorization?: string;
  userAgent?: string;
  graphql?: { query: string; variables: Json; operationName?: string };
}

// ---------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------

let gqlSchema: GraphQLSchema | undefined;
function githubSchema(): GraphQLSchema {
  gqlSchema ??= buildClientSchema(githubGraphqlSchema.json as unknown as IntrospectionQuery);
  return gqlSchema;
}

/** An error GitHub reports with a top-level `type` (NOT_FOUND, ...). */
class GitHubGqlError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}
function decodeCursor(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GitHubGqlError(`\`${cursor}\` does not appear to be a valid cursor.`, 'INVALID_CURSOR_ARGUMENTS');
  return Number(m[1]);
}

function connection<T>(all: T[], args: ConnectionArgs, name: string): Json {
  if (args.first == null && args.last == null) {
    throw new GitHubGqlError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, 'MISSING_PAGINATION_BOUNDARIES');
  }
  for (const [arg, v] of [['first', args.first], ['last', args.last]] as const) {
    if (v != null && (v < 0 || v > 100)) {
      throw new GitHubGqlError(`Requesting ${v} records on the \`${name}\` connection exceeds the \`${arg}\` limit of 100 records.`, 'EXCESSIVE_PAGINATION');
    }
  }
  let start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.before ? decodeCursor(args.before) : all.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const nodes = all.slice(start, end);
  const limit = args.before ? decodeCursor(args.before) : all.length;
  return {
    totalCount: all.length,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: encodeCursor(start + i), node })),
    pageInfo: {
      hasNextPage: end < limit,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? encodeCursor(start) : null,
      endCursor: nodes.length ? encodeCursor(end - 1) : null,
    },
  };
}

/** GraphQL shows bots without `[bot]`; GitHub's Copilot reviewer (REST `Copilot`) as `copilot-pull-request-reviewer`. */
export function graphqlLogin(user: Json): string {
  const login = String(user.login);
  if (login === 'Copilot' && user.type === 'Bot') return 'copilot-pull-request-reviewer';
  return login.replace(/\[bot\]$/, '');
}

function actor(user: Json | null | undefined): Json | null {
  if (!user) return null;
  const typename = user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : user.type === 'Mannequin' ? 'Mannequin' : 'User';
  return {
    __typename: typename,
    id: user.node_id,
    login: graphqlLogin(user),
    url: user.html_url,
    resourcePath: new URL(user.html_url ?? `https://github.com/${user.login}`).pathname,
    avatarUrl: () => user.avatar_url,
    databaseId: user.id,
  };
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export interface GitHubDoubleOptions {
  /** Tokens accepted in `Authorization`; when unset any token (or none) is accepted. */
  tokens?: string[];
}

export class GitHubDouble {
  readonly requests: RecordedRequest[] = [];
  /** Exceptions thrown by route handlers (answered with 500); tests should expect this to stay empty. */
  readonly internalErrors: unknown[] = [];
  private readonly repos = new Map<string, RepoState>();
  private readonly routes: CompiledRoute[] = [];
  private faults: PendingFault[] = [];
  private readonly rate = new Map<string, { limit: number; used: number }>();
  private readonly rateReset = Math.floor(Date.now() / 1000) + 3600;
  private tokens: Set<string> | null;
  private server: Server | undefined;
  private origin = '';
  private nextId = 3_000_000_000; // above 2^31, like GitHub's recent ids

  constructor(options: GitHubDoubleOptions = {}) {
    this.tokens = options.tokens ? new Set(options.tokens) : null;
    for (const def of DEFAULT_ROUTES) this.routes.push(compile(def));
  }

  /** Base URL for Octokit (`http://127.0.0.1:<port>`); GraphQL is at `<url>/graphql`. */
  get url(): string {
    if (!this.origin) throw new Error('GitHub double not started');
    return this.origin;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.internalErrors.push(err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `double crashed: ${String(err)}` }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- routes, faults, log ----

  /** Adds a route; it takes precedence over the built-in ones with the same path. */
  route(def: RouteDef): this {
    this.routes.unshift(compile(def));
    return this;
  }

  /** The next `times` requests to `route` (a route key, or `*` for any) get `spec` instead of an answer. */
  fault(route: string, spec: FaultSpec, times = 1): this {
    if (route !== '*' && !this.routes.some((r) => r.key === route)) throw new Error(`no route ${route} in the GitHub double`);
    this.faults.push({ route, spec, remaining: times });
    return this;
  }

  /** Requests recorded for `route` (a route key), or all of them. */
  count(route?: string): number {
    return route ? this.requests.filter((r) => r.route === route).length : this.requests.length;
  }

  /** Forgets recorded requests and pending faults (state stays). */
  resetLog(): void {
    this.requests.length = 0;
    this.internalErrors.length = 0;
    this.faults = [];
  }

  setTokens(tokens: string[] | null): void {
    this.tokens = tokens ? new Set(tokens) : null;
  }

  // ---- state ----

  newId(): number {
    return this.nextId++;
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repoById(id: number): RepoState | undefined {
    for (const r of this.repos.values()) if (r.id === id) return r;
    return undefined;
  }

  addRepo(fullName: string): RepoState {
    const existing = this.repos.get(fullName.toLowerCase());
    if (existing) return existing;
    const [owner, name] = fullName.split('/');
    if (!owner || !name) throw new Error(`bad repository name ${fullName}`);
    const t = template();
    const id = 100_000 + this.repos.size;
    const repo = rewriteStrings(t.pull.base.repo, 'Codertocat/Hello-World', fullName) as Json;
    Object.assign(repo, {
      id,
      node_id: `R_${Buffer.from(fullName).toString('base64url')}`,
      name,
      full_name: fullName,
      owner: restUser(owner, { type: 'Organization' }),
    });
    const state: RepoState = { id, owner, name, repo, pulls: new Map() };
    this.repos.set(fullName.toLowerCase(), state);
    return state;
  }

  /** Adds (or replaces) a PR; the REST pull object is GitHub's example payload adapted to it. */
  addPull(fullName: string, fixture: PullFixture): PullState {
    const repo = this.addRepo(fullName);
    const n = fixture.number;
    const t = template();
    let pull = rewriteStrings(t.pull, 'Codertocat/Hello-World', fullName) as Json;
    pull = rewriteStrings(pull, '/pull/2', `/pull/${n}`) as Json;
    pull = rewriteStrings(pull, '/pulls/2', `/pulls/${n}`) as Json;
    pull = rewriteStrings(pull, '/issues/2', `/issues/${n}`) as Json;
    const merged = fixture.merged ?? true;
    const reviews = fixture.reviews ?? [];
    const reviewComments = fixture.review_comments ?? [];
    const issueComments = fixture.issue_comments ?? [];
    Object.assign(pull, {
      id: this.newId(),
      node_id: `PR_${Buffer.from(`${fullName}#${n}`).toString('base64url')}`,
      number: n,
      title: fixture.title ?? `PR ${n} of ${fullName}`,
      body: fixture.body === undefined ? `Body of PR ${n}` : fixture.body,
      state: 'closed',
      merged,
      merged_at: merged ? '2026-03-01T10:00:00Z' : null,
      closed_at: '2026-03-01T10:00:00Z',
      labels: (fixture.labels ?? []).map((name, i) => ({
        id: 5000 + i,
        node_id: `LA_${i}`,
        url: `https://api.github.com/repos/${fullName}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: 'ededed',
        default: false,
      })),
      comments: issueComments.length,
      review_comments: reviewComments.length,
    });
    if (fixture.user) pull.user = fixture.user;
    pull.base.repo = repo.repo;
    pull.head.repo = repo.repo;
    Object.assign(pull, fixture.pullOverrides ?? {});

    let threads = fixture.threads;
    if (!threads) threads = threadsFromComments(reviewComments, fixture.resolved);
    const state: PullState = { pull, reviews, reviewComments, issueComments, threads };
    repo.pulls.set(n, state);
    return state;
  }

  // ---- HTTP ----

  private bump(resource: string, weight = 1): Record<string, string> {
    const r = this.rate.get(resource) ?? { limit: 5000, used: 0 };
    r.used += weight;
    this.rate.set(resource, r);
    return {
      'x-ratelimit-limit': String(r.limit),
      'x-ratelimit-remaining': String(Math.max(0, r.limit - r.used)),
      'x-ratelimit-reset': String(this.rateReset),
      'x-ratelimit-used': String(r.used),
      'x-ratelimit-resource': resource,
    };
  }

  private match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { route, params };
    }
    return null;
  }

  private takeFault(routeKey: string | null): FaultSpec | undefined {
    const f = this.faults.find((x) => x.remaining > 0 && (x.route === '*' || x.route === routeKey));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f.spec;
  }

  private faultResponse(spec: FaultSpec, rate: Record<string, string>): RouteResponse {
    switch (spec.kind) {
      case 'secondary-rate-limit': {
        const headers: Record<string, string> = {};
        if (spec.retryAfter !== null) headers['retry-after'] = String(spec.retryAfter ?? 1);
        return {
          status: spec.status ?? 403,
          headers,
          body: {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
            documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            status: String(spec.status ?? 403),
          },
        };
      }
      case 'rate-limit':
        return {
          status: 403,
          headers: {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-used': rate['x-ratelimit-limit'] ?? '5000',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (spec.resetIn ?? 0)),
          },
          body: {
            message: 'API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID 0000.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: '403',
          },
        };
      case 'server-error':
        return { status: spec.status ?? 502, body: { message: 'Server Error' } };
      case 'not-found':
        return notFound();
      case 'unauthorized':
        return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
      case 'forbidden':
        return {
          status: 403,
          body: { message: spec.message ?? 'Resource not accessible by integration', documentation_url: DOCS, status: '403' },
        };
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }

    // GitHub's Link headers point at /repositories/{id}/...; serve them as the /repos/{owner}/{repo} route.
    let path = url.pathname;
    const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
    if (byId) {
      const repo = this.repoById(Number(byId[1]));
      if (repo) path = `/repos/${repo.owner}/${repo.name}${byId[2] ?? ''}`;
    }
    const found = this.match(method, path);
    const rate = this.bump(found?.route.resource ?? 'core', found?.route.path === '/graphql' ? graphqlPoints(body) : 1);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      route: found?.route.key ?? null,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    };
    if (found?.route.path === '/graphql' && body && typeof body === 'object') {
      const b = body as { query?: string; variables?: Json; operationName?: string };
      record.graphql = { query: String(b.query ?? ''), variables: b.variables ?? {}, ...(b.operationName ? { operationName: b.operationName } : {}) };
    }
    this.requests.push(record);

    let answer: RouteResponse;
    const fault = this.takeFault(found?.route.key ?? null);
    if (fault) {
      record.fault = fault.kind;
      answer = this.faultResponse(fault, rate);
    } else if (this.tokens && !this.tokens.has(bearer(req.headers.authorization))) {
      answer = this.faultResponse({ kind: 'unauthorized' }, rate);
    } else if (!found) {
      answer = notFound();
    } else {
      answer = await found.route.handler({ double: this, params: found.params, url, query: url.searchParams, body, headers: req.headers });
    }

    record.status = answer.status;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `DOUBLE:${this.requests.length}`,
      ...rate,
      ...(answer.headers ?? {}),
    };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, headers);
    res.end(text);
  }

  // ---- GraphQL ----

  /** Runs a GraphQL request body against GitHub's schema with resolvers over this double's state. */
  async executeGraphql(body: unknown): Promise<RouteResponse> {
    if (!body || typeof body !== 'object' || typeof (body as Json).query !== 'string') {
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' } };
    }
    const { query, variables, operationName } = body as { query: string; variables?: Json; operationName?: string };
    let limits: GraphqlQueryLimits | null = null;
    try {
      limits = graphqlQueryLimits(query, variables ?? {}, operationName);
    } catch {
      // Not parseable: executeGraphql reports the syntax error as GitHub would.
    }
    if (limits && limits.nodes > 500_000) {
      return {
        status: 200,
        body: { errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: `This query requests up to ${limits.nodes} possible nodes which exceeds the maximum limit of 500,000.` }] },
      };
    }
    const rate = this.rate.get('graphql') ?? { limit: 5000, used: 0 };
    const rateLimit = {
      cost: limits?.cost ?? 1,
      limit: rate.limit,
      used: rate.used,
      remaining: Math.max(0, rate.limit - rate.used),
      nodeCount: limits?.nodes ?? 0,
      resetAt: new Date(this.rateReset * 1000).toISOString(),
    };
    const result = await executeGraphql({
      schema: githubSchema(),
      source: query,
      variableValues: variables ?? {},
      ...(operationName ? { operationName } : {}),
      rootValue: { ...this.graphqlRoot(), rateLimit: () => rateLimit },
    });
    const out: Json = {};
    if (result.data !== undefined) out.data = result.data;
    if (result.errors?.length) {
      out.errors = result.errors.map((e: GraphQLError) => {
        const type = e.originalError instanceof GitHubGqlError ? e.originalError.type : undefined;
        return { ...(type ? { type } : {}), path: e.path, locations: e.locations, message: e.message };
      });
    }
    return { status: 200, body: out };
  }

  private graphqlRoot(): Json {
    return {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repo = this.repo(owner, name);
        if (!repo) throw new GitHubGqlError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, 'NOT_FOUND');
        return this.gqlRepo(repo);
      },
      node: ({ id }: { id: string }) => {
        for (const repo of this.repos.values()) {
          for (const pr of repo.pulls.values()) {
            const thread = pr.threads.find((t) => t.id === id);
            if (thread) return this.gqlThread(repo, pr, thread);
            if (pr.pull.node_id === id) return this.gqlPull(repo, pr);
          }
        }
        throw new GitHubGqlError(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND');
      },
    };
  }

  private gqlRepo(repo: RepoState): Json {
    return {
      __typename: 'Repository',
      id: repo.repo.node_id,
      databaseId: repo.id,
      name: repo.name,
      nameWithOwner: `${repo.owner}/${repo.name}`,
      url: `https://github.com/${repo.owner}/${repo.name}`,
      pullRequest: ({ number }: { number: number }) => {
        const pr = repo.pulls.get(number);
        if (!pr) throw new GitHubGqlError(`Could not resolve to a PullRequest with the number of ${number}.`, 'NOT_FOUND');
        return this.gqlPull(repo, pr);
      },
    };
  }

  private gqlPull(repo: RepoState, pr: PullState): Json {
    const p = pr.pull;
    return {
      __typename: 'PullRequest',
      id: p.node_id,
      fullDatabaseId: String(p.id),
      databaseId: p.id,
      number: p.number,
      url: p.html_url,
      title: p.title,
      body: p.body ?? '',
      state: p.merged ? 'MERGED' : p.state === 'open' ? 'OPEN' : 'CLOSED',
      closed: p.state !== 'open',
      isDraft: Boolean(p.draft),
      merged: Boolean(p.merged),
      mergedAt: p.merged_at,
      closedAt: p.closed_at,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
      author: actor(p.user),
      authorAssociation: p.author_association,
      baseRefName: p.base.ref,
      baseRefOid: p.base.sha,
      headRefName: p.head.ref,
      headRefOid: p.head.sha,
      mergeCommit: p.merged && p.merge_commit_sha ? { oid: p.merge_commit_sha } : null,
      baseRepository: this.gqlRepo(repo),
      repository: this.gqlRepo(repo),
      labels: (args: ConnectionArgs) =>
        connection(
          (p.labels as Json[]).map((l) => ({ __typename: 'Label', id: l.node_id, name: l.name, color: l.color, description: l.description })),
          args,
          'labels',
        ),
      reviews: (args: ConnectionArgs) => connection(sortedById(pr.reviews).map((r) => this.gqlReview(r)), args, 'reviews'),
      reviewThreads: (args: ConnectionArgs) => connection(pr.threads.map((t) => this.gqlThread(repo, pr, t)), args, 'reviewThreads'),
      comments: (args: ConnectionArgs) => connection(sortedById(pr.issueComments).map((c) => gqlIssueComment(c)), args, 'comments'),
    };
  }

  private gqlReview(r: Json): Json {
    return {
      __typename: 'PullRequestReview',
      id: r.node_id,
      fullDatabaseId: String(r.id),
      databaseId: r.id, // overflows GraphQL Int for ids above 2^31, as on GitHub
      author: actor(r.user),
      authorAssociation: r.author_association,
      body: r.body ?? '',
      state: r.state,
      url: r.html_url,
      submittedAt: r.submitted_at ?? null,
      createdAt: r.submitted_at ?? null,
      commit: r.commit_id ? { __typename: 'Commit', oid: r.commit_id } : null,
    };
  }

  private gqlThread(repo: RepoState, pr: PullState, t: ThreadState): Json {
    const byId = new Map(pr.reviewComments.map((c) => [Number(c.id), c]));
    const comments = t.commentIds.map((id) => byId.get(id)).filter((c): c is Json => c !== undefined);
    const root = comments[0] ?? {};
    return {
      __typename: 'PullRequestReviewThread',
      id: t.id,
      isResolved: t.isResolved,
      isOutdated: t.isOutdated ?? root.line == null,
      isCollapsed: t.isResolved,
      resolvedBy: t.resolvedBy ? actor(restUser(t.resolvedBy)) : null,
      path: root.path ?? '',
      line: root.line ?? null,
      originalLine: root.original_line ?? null,
      startLine: root.start_line ?? null,
      originalStartLine: root.original_start_line ?? null,
      diffSide: root.side ?? 'RIGHT',
      startDiffSide: root.start_side ?? null,
      subjectType: String(root.subject_type ?? 'line').toUpperCase(),
      pullRequest: () => this.gqlPull(repo, pr),
      repository: () => this.gqlRepo(repo),
      comments: (args: ConnectionArgs) =>
        connection(
          comments.map((c) => this.gqlReviewComment(c, byId)),
          args,
          'comments',
        ),
    };
  }

  private gqlReviewComment(c: Json, byId: Map<number, Json>): Json {
    return {
      __typename: 'PullRequestReviewComment',
      id: c.node_id,
      fullDatabaseId: String(c.id),
      databaseId: c.id, // overflows GraphQL Int for ids above 2^31, as on GitHub
      author: actor(c.user),
      authorAssociation: c.author_association,
      body: c.body,
      url: c.html_url,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      path: c.path,
      line: c.line ?? null,
      originalLine: c.original_line ?? null,
      startLine: c.start_line ?? null,
      originalStartLine: c.original_start_line ?? null,
      diffHunk: c.diff_hunk,
      outdated: c.line == null,
      state: 'SUBMITTED',
      commit: c.commit_id ? { __typename: 'Commit', oid: c.commit_id } : null,
      originalCommit: c.original_commit_id ? { __typename: 'Commit', oid: c.original_commit_id } : null,
      pullRequestReview:
        c.pull_request_review_id != null ? { __typename: 'PullRequestReview', fullDatabaseId: String(c.pull_request_review_id) } : null,
      replyTo: () => {
        const parent = c.in_reply_to_id !== undefined ? byId.get(Number(c.in_reply_to_id)) : undefined;
        return parent ? this.gqlReviewComment(parent, byId) : null;
      },
    };
  }
}

function gqlIssueComment(c: Json): Json {
  return {
    __typename: 'IssueComment',
    id: c.node_id,
    fullDatabaseId: String(c.id),
    author: actor(c.user),
    authorAssociation: c.author_association,
    body: c.body,
    url: c.html_url,
    createdAt: c.created_at,
    updatedAt: c.updated_at ?? null,
  };
}

export interface GraphqlQueryLimits {
  requests: number;
  nodes: number;
  cost: number;
}

/**
 * GitHub's published GraphQL limits of a query, from its syntax tree (docs.github.com, "Rate limits and
 * query limits for the GraphQL API"): every field with a `first`/`last` argument is a connection that
 * needs one request per parent node and returns up to that many nodes per parent; cost = requests / 100,
 * rounded, at least 1. Fragments are followed and `@include`/`@skip` honoured, with the request's variables.
 * Written apart from src/github/graphqlCost.ts on purpose: tests hold the two equal.
 */
export function graphqlQueryLimits(query: string, variables: Json, operationName?: string): GraphqlQueryLimits {
  const doc = parseGraphql(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) throw new Error('no operation');
  const valueOf = (v: ValueNode): unknown =>
    v.kind === Kind.VARIABLE ? variables[v.name.value] : v.kind === Kind.INT ? Number(v.value) : v.kind === Kind.BOOLEAN ? v.value : undefined;
  const included = (directives: readonly DirectiveNode[] | undefined): boolean =>
    (directives ?? []).every((d) => {
      const cond = d.arguments?.find((a) => a.name.value === 'if');
      if (!cond) return true;
      if (d.name.value === 'include') return valueOf(cond.value) === true;
      if (d.name.value === 'skip') return valueOf(cond.value) !== true;
      return true;
    });
  let requests = 0;
  let nodes = 0;
  const walk = (set: SelectionSetNode, parents: number): void => {
    for (const sel of set.selections) {
      if (!included(sel.directives)) continue;
      if (sel.kind === Kind.FIELD) {
        const page = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
        const size = page ? Number(valueOf(page.value)) : NaN;
        if (Number.isFinite(size)) {
          requests += parents;
          nodes += parents * size;
          if (sel.selectionSet) walk(sel.selectionSet, parents * size);
        } else if (sel.selectionSet) walk(sel.selectionSet, parents);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, parents);
      else {
        const f = fragments.get(sel.name.value);
        if (f) walk(f.selectionSet, parents);
      }
    }
  };
  walk(op.selectionSet, 1);
  return { requests, nodes, cost: Math.max(1, Math.round(requests / 100)) };
}

/** Points a GraphQL request body is charged (1 when it cannot be read: GitHub charges a failed call too). */
function graphqlPoints(body: unknown): number {
  const b = body as { query?: unknown; variables?: Json; operationName?: string } | undefined;
  if (!b || typeof b.query !== 'string') return 1;
  try {
    return graphqlQueryLimits(b.query, b.variables ?? {}, b.operationName).cost;
  } catch {
    return 1;
  }
}

function bearer(header: string | undefined): string {
  return (header ?? '').replace(/^(token|bearer)\s+/i, '');
}

/** One unresolved thread per root review comment, replies joined through `in_reply_to_id`. */
export function threadsFromComments(comments: Json[], resolved?: { rootIds: number[]; by: string }): ThreadState[] {
  const byId = new Map(comments.map((c) => [Number(c.id), c]));
  const rootOf = (c: Json): number => {
    let cur = c;
    for (let hops = 0; cur.in_reply_to_id !== undefined && hops < 1000; hops++) {
      const parent = byId.get(Number(cur.in_reply_to_id));
      if (!parent) break;
      cur = parent;
    }
    return Number(cur.id);
  };
  const threads = new Map<number, ThreadState>();
  for (const c of sortedById(comments)) {
    const root = rootOf(c);
    let t = threads.get(root);
    if (!t) {
      const isResolved = resolved?.rootIds.includes(root) ?? false;
      t = { id: `PRRT_${Buffer.from(`thread:${root}`).toString('base64url')}`, commentIds: [], isResolved, resolvedBy: isResolved ? resolved!.by : null };
      threads.set(root, t);
    }
    t.commentIds.push(Number(c.id));
  }
  return [...threads.values()];
}

export async function startGitHubDouble(options?: GitHubDoubleOptions): Promise<GitHubDouble> {
  return new GitHubDouble(options).start();
}
