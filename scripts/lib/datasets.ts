/**
 * Converters from raw review payloads (as found in the wild: REST arrays, GraphQL `reviewThreads`
 * responses, the CRC-Py labeled dataset) to PR bundles, and the CRC-Py measurement used by
 * `scripts/measure-crc.ts` and the tests. Pure: callers read the files.
 */
import { parsePrBundle, type PrBundle } from '../../src/capture/bundle.js';
import { defaultTrustPolicy } from '../../src/capture/actors.js';
import { extractLessons, type CaptureContext, type CaptureResult } from '../../src/capture/extract.js';

export interface PullRequestStub {
  number: number;
  html_url: string;
  title: string;
  user: null;
  labels: { name: string }[];
  base: { repo: { full_name: string } };
}

export function synthesizePullRequest(fullName: string, number: number, labels: string[] = []): PullRequestStub {
  return {
    number,
    html_url: `https://github.com/${fullName}/pull/${number}`,
    title: '',
    user: null,
    labels: labels.map((name) => ({ name })),
    base: { repo: { full_name: fullName } },
  };
}

/** `<owner>_<repo>-pr<N>.json` → `{ fullName, number }` (GitHub owners cannot contain `_`). */
export function prFromFileName(fileName: string): { fullName: string; number: number } | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  const m = /^([A-Za-z0-9-]+)_(.+)-pr(\d+)\.json$/.exec(base);
  return m ? { fullName: `${m[1]}/${m[2]}`, number: Number(m[3]) } : null;
}

function prFromApiUrl(url: unknown): { fullName: string; number: number } | null {
  if (typeof url !== 'string') return null;
  const m = /\/repos\/([^/]+\/[^/]+)\/(?:pulls|issues)\/(\d+)/.exec(url) ?? /github\.com\/([^/]+\/[^/]+)\/pull\/(\d+)/.exec(url);
  return m ? { fullName: m[1]!, number: Number(m[2]) } : null;
}

function asArray(value: unknown, what: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a JSON array`);
  return value as Record<string, unknown>[];
}

/** A REST `pulls/{n}/comments` array → bundle. */
export function bundleFromReviewComments(value: unknown, fileName: string): PrBundle {
  const comments = asArray(value, fileName);
  const pr = prFromFileName(fileName) ?? prFromApiUrl(comments[0]?.pull_request_url);
  if (!pr) throw new Error(`${fileName}: cannot tell the PR`);
  return parsePrBundle({ pull_request: synthesizePullRequest(pr.fullName, pr.number), review_comments: comments }, fileName);
}

/** A REST `issues/{n}/comments` array → bundle. */
export function bundleFromIssueComments(value: unknown, fileName: string): PrBundle {
  const comments = asArray(value, fileName);
  const pr = prFromFileName(fileName) ?? prFromApiUrl(comments[0]?.issue_url);
  if (!pr) throw new Error(`${fileName}: cannot tell the PR`);
  return parsePrBundle({ pull_request: synthesizePullRequest(pr.fullName, pr.number), issue_comments: comments }, fileName);
}

/** A REST `pulls/{n}/reviews` array → bundle; the PR comes from `pull_request_url`, else the file name. */
export function bundleFromReviews(value: unknown, fileName: string): PrBundle {
  const reviews = asArray(value, fileName);
  const fromUrl = prFromApiUrl(reviews[0]?.pull_request_url);
  const n = /pr-(\d+)\.json$/.exec(fileName);
  const pr = fromUrl ?? (n ? { fullName: 'unknown/unknown', number: Number(n[1]) } : null);
  if (!pr) throw new Error(`${fileName}: cannot tell the PR`);
  return parsePrBundle({ pull_request: synthesizePullRequest(pr.fullName, pr.number), reviews }, fileName);
}

interface GqlComment {
  id?: unknown;
  fullDatabaseId?: unknown;
  databaseId?: unknown;
  author?: { login?: unknown } | null;
  authorAssociation?: unknown;
  body?: unknown;
  path?: unknown;
  line?: unknown;
  createdAt?: unknown;
  url?: unknown;
}

/**
 * A GraphQL `{data:{repository:{pullRequest:{reviewThreads:{nodes}}}}}` response → bundle `review_threads`.
 * Selection sets differ between payloads, so every field is optional: comment ids may be node ids
 * (`PRRC_…`) or numbers, authors may be missing, `isOutdated` may be absent.
 */
export function bundleFromGraphqlThreads(value: unknown, fileName: string): PrBundle {
  const pr = prFromFileName(fileName);
  if (!pr) throw new Error(`${fileName}: cannot tell the PR`);
  const data = value as { data?: { repository?: { pullRequest?: { reviewThreads?: { nodes?: unknown[] } } } } };
  const nodes = data?.data?.repository?.pullRequest?.reviewThreads?.nodes;
  if (!Array.isArray(nodes)) throw new Error(`${fileName}: no data.repository.pullRequest.reviewThreads.nodes`);
  const threads = nodes.map((raw, i) => {
    const t = raw as {
      id?: unknown;
      isResolved?: unknown;
      isOutdated?: unknown;
      resolvedBy?: { login?: unknown } | null;
      path?: unknown;
      line?: unknown;
      comments?: { nodes?: unknown[] };
    };
    const comments = (t.comments?.nodes ?? []).map((rc) => {
      const c = rc as GqlComment;
      const numeric = [c.fullDatabaseId, c.databaseId, c.id].find((v) => typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)));
      return {
        id: numeric === undefined ? null : Number(numeric),
        node_id: typeof c.id === 'string' && !/^\d+$/.test(c.id) ? c.id : null,
        author: typeof c.author?.login === 'string' ? c.author.login : null,
        author_association: typeof c.authorAssociation === 'string' ? c.authorAssociation : undefined,
        body: typeof c.body === 'string' ? c.body : '',
        path: typeof c.path === 'string' ? c.path : null,
        line: typeof c.line === 'number' ? c.line : null,
        created_at: typeof c.createdAt === 'string' ? c.createdAt : null,
        url: typeof c.url === 'string' ? c.url : null,
      };
    });
    return {
      id: typeof t.id === 'string' ? t.id : `thread-${i}`,
      is_resolved: t.isResolved === true,
      is_outdated: typeof t.isOutdated === 'boolean' ? t.isOutdated : null,
      resolved_by: typeof t.resolvedBy?.login === 'string' ? t.resolvedBy.login : null,
      path: typeof t.path === 'string' ? t.path : null,
      line: typeof t.line === 'number' ? t.line : null,
      comments,
    };
  });
  return parsePrBundle({ pull_request: synthesizePullRequest(pr.fullName, pr.number), review_threads: threads }, fileName);
}

/** Any file of the shared real-data folder, by its folder name (`github-reviews/…`, `github-review-threads/…`, ...). */
export function bundleFromDataFile(relativePath: string, value: unknown): PrBundle {
  const p = relativePath.replace(/\\/g, '/');
  if (p.includes('github-review-threads/')) return bundleFromGraphqlThreads(value, p);
  if (p.includes('github-review-comments/')) return bundleFromReviewComments(value, p);
  if (p.includes('github-issue-comments/')) return bundleFromIssueComments(value, p);
  if (p.includes('github-reviews/')) return bundleFromReviews(value, p);
  throw new Error(`${relativePath}: not a known payload folder`);
}

// ---------------------------------------------------------------------------------------------------
// CRC-Py: labeled Python review comments.

export interface CrcRecord {
  comment: string;
  code?: string;
  enriched?: string;
  category: string;
  subcategory: string;
  file_path: string;
  line_number?: number;
  pr_number: number;
  owner: string;
  repo: string;
  comment_id: number;
  comment_created_at?: string;
}

/** The original, un-normalized comment text from `enriched` (`File: …\nCode: …\nComment: …`), else `comment`. */
export function crcOriginalText(r: CrcRecord): string {
  if (typeof r.enriched !== 'string') return r.comment;
  const at = r.enriched.indexOf('\nComment: ');
  return at === -1 ? r.comment : r.enriched.slice(at + '\nComment: '.length);
}

/** The synthetic rows of the dataset (no `enriched`, placeholder owners, ids 3001–5010). */
export function isSyntheticCrc(r: CrcRecord): boolean {
  return typeof r.enriched !== 'string' || r.comment_id < 100000;
}

export interface CrcBundle {
  bundle: PrBundle;
  /** For each record (by its index in the input array), the `rc:<id>` reference of its comment. */
  refs: Map<number, string>;
}

/**
 * One bundle per PR of the real (non-synthetic) rows. Every author is a trusted human (`MEMBER`) and every
 * comment its own resolved thread, so only the text decides. A comment id repeated with the same text is
 * one comment; repeated with a different text it gets a synthetic id of its own.
 */
export function crcBundles(records: readonly CrcRecord[]): CrcBundle[] {
  const byPr = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (isSyntheticCrc(r)) return;
    const k = `${r.owner}/${r.repo}#${r.pr_number}`;
    const list = byPr.get(k);
    if (list) list.push(i);
    else byPr.set(k, [i]);
  });
  const out: CrcBundle[] = [];
  for (const [k, indices] of [...byPr].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const first = records[indices[0]!]!;
    const fullName = `${first.owner}/${first.repo}`;
    const refs = new Map<number, string>();
    const textById = new Map<number, string>();
    const comments: Record<string, unknown>[] = [];
    for (const i of indices) {
      const r = records[i]!;
      const body = crcOriginalText(r);
      let id = r.comment_id;
      const seen = textById.get(id);
      if (seen !== undefined && seen === body) {
        refs.set(i, `rc:${id}`);
        continue;
      }
      if (seen !== undefined) id = 1e12 + i;
      textById.set(id, body);
      refs.set(i, `rc:${id}`);
      comments.push({
        id,
        user: { login: 'crc-reviewer', type: 'User' },
        author_association: 'MEMBER',
        body,
        path: r.file_path,
        line: r.line_number ?? null,
        original_line: r.line_number ?? null,
        diff_hunk: r.code,
        created_at: r.comment_created_at ?? '2020-01-01T00:00:00Z',
        html_url: `https://github.com/${fullName}/pull/${first.pr_number}#discussion_r${id}`,
      });
    }
    const threads = comments.map((c) => ({ id: `crc-${String(c.id)}`, is_resolved: true, comments: [{ id: c.id as number }] }));
    out.push({
      bundle: parsePrBundle(
        { pull_request: synthesizePullRequest(fullName, first.pr_number), review_comments: comments, review_threads: threads },
        k,
      ),
      refs,
    });
  }
  return out;
}

export interface CrcYield {
  records: number;
  lessons: number;
}

export interface CrcMeasurement {
  records: number;
  prs: number;
  lessons: number;
  byCategory: Record<string, CrcYield>;
  bySubcategory: Record<string, CrcYield>;
  /** praise + question + false positive records, and how many of them became lessons. */
  noise: CrcYield & { share: number };
  /** Every record that became a lesson: its labels, the original comment, the insight. */
  captured: { index: number; category: string; subcategory: string; comment: string; insight: string; key: string; type: string }[];
}

export const CRC_NOISE_SUBCATEGORIES = ['praise', 'question', 'false positive'];

/** Captures every real CRC-Py PR and counts, per label, how many comments became lessons. */
export function measureCrc(records: readonly CrcRecord[], ctx?: Partial<CaptureContext>): CrcMeasurement {
  const bundles = crcBundles(records);
  const lessonByRef = new Map<string, { insight: string; key: string; type: string }>();
  const results: CaptureResult[] = [];
  for (const { bundle } of bundles) {
    const r = extractLessons(bundle, { now: '2026-01-01T00:00:00Z', policy: defaultTrustPolicy(), ...ctx });
    results.push(r);
    for (const l of r.lessons)
      lessonByRef.set(`${bundle.pull_request.base.repo.full_name}#${bundle.pull_request.number}|${l.provenance.comment_ref}`, {
        insight: l.lesson.insight,
        key: l.lesson.key,
        type: l.lesson.type,
      });
  }
  const m: CrcMeasurement = {
    records: 0,
    prs: bundles.length,
    lessons: 0,
    byCategory: {},
    bySubcategory: {},
    noise: { records: 0, lessons: 0, share: 0 },
    captured: [],
  };
  const bump = (table: Record<string, CrcYield>, k: string, hit: boolean) => {
    const y = (table[k] ??= { records: 0, lessons: 0 });
    y.records++;
    if (hit) y.lessons++;
  };
  for (const { bundle, refs } of bundles) {
    const prKey = `${bundle.pull_request.base.repo.full_name}#${bundle.pull_request.number}`;
    for (const [index, ref] of refs) {
      const r = records[index]!;
      const lesson = lessonByRef.get(`${prKey}|${ref}`);
      const sub = r.subcategory === 'support issue' ? 'support issues' : r.subcategory;
      m.records++;
      if (lesson) m.lessons++;
      bump(m.byCategory, r.category, !!lesson);
      bump(m.bySubcategory, sub, !!lesson);
      if (CRC_NOISE_SUBCATEGORIES.includes(sub) || r.category === 'false positive') {
        m.noise.records++;
        if (lesson) m.noise.lessons++;
      }
      if (lesson) m.captured.push({ index, category: r.category, subcategory: sub, comment: crcOriginalText(r), ...lesson });
    }
  }
  m.noise.share = m.noise.records ? m.noise.lessons / m.noise.records : 0;
  m.captured.sort((a, b) => a.index - b.index);
  return m;
}
