/**
 * The review discussion of a bundle as threads: inline review comments grouped by `in_reply_to_id`,
 * joined with GraphQL thread state (resolved/outdated) when the bundle has it, GraphQL-only threads
 * built from their own comments, and review bodies and conversation comments as one-item threads
 * (a later conversation comment that quotes one becomes its reply). Plus the evidence that a point
 * was acted on.
 */
import type { PrBundle, ReviewThread } from './bundle.js';
import { cleanBody, splitSentences, truncateForAnalysis, type CleanText } from './clean.js';
import type { Actor, ActorClassifier } from './actors.js';

export type ItemKind = 'review_comment' | 'thread_comment' | 'review' | 'issue_comment';

export interface Item {
  kind: ItemKind;
  /** Stable reference, part of lesson ids: `rc:<id>`, `rv:<id>`, `ic:<id>`, `tc:<thread id>/<n>`. */
  ref: string;
  url: string | null;
  author: Actor;
  /** The analysed prefix of the comment body ({@link truncateForAnalysis}): every check reads this. */
  body: string;
  /** The body was longer than capture reads; `bodyLength` is its full length. */
  truncated: boolean;
  bodyLength: number;
  clean: CleanText;
  path: string | null;
  line: number | null;
  /** The commented line changed afterwards (REST `line: null` with an `original_line`, or GraphQL `isOutdated`). */
  outdated: boolean;
  createdAt: string | null;
  reviewState?: string;
}

export interface Thread {
  root: Item;
  replies: Item[];
  /** GraphQL `isResolved`; null when the bundle has no thread state for it. */
  resolved: boolean | null;
  resolvedBy: Actor | null;
  outdated: boolean;
  threadId: string | null;
}

/** Where an item is, for provenance and skip records: its URL, else its reference. */
export function whereOf(item: Item): string {
  return item.url || item.ref;
}

function byTime(a: Item, b: Item): number {
  const ta = a.createdAt ?? '';
  const tb = b.createdAt ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

function normalizeForQuote(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A body as capture reads it: its analysed prefix, cleaned once. */
function analysed(raw: string | null | undefined): Pick<Item, 'body' | 'truncated' | 'bodyLength' | 'clean'> {
  const cut = truncateForAnalysis(raw ?? '');
  return { body: cut.text, truncated: cut.truncated, bodyLength: cut.originalLength, clean: cleanBody(cut.text) };
}

export function buildThreads(bundle: PrBundle, classifier: ActorClassifier): Thread[] {
  const threads: Thread[] = [];

  // Inline review comments, grouped under their root.
  const comments = bundle.review_comments;
  const byId = new Map(comments.map((c) => [c.id, c]));
  const byNode = new Map(comments.filter((c) => c.node_id).map((c) => [c.node_id!, c.id]));
  const rootOf = (id: number): number => {
    let cur = id;
    const seen = new Set<number>();
    for (;;) {
      const parent = byId.get(cur)?.in_reply_to_id;
      if (parent === undefined || !byId.has(parent) || seen.has(parent)) return cur;
      seen.add(cur);
      cur = parent;
    }
  };
  const groups = new Map<number, Item[]>();
  for (const c of comments) {
    const item: Item = {
      kind: 'review_comment',
      ref: `rc:${c.id}`,
      url: c.html_url || null,
      author: classifier.classify(c.user?.login, c.user?.type, c.author_association),
      ...analysed(c.body),
      path: c.path || null,
      line: c.line ?? null,
      outdated: c.line === null && c.original_line != null,
      createdAt: c.created_at ?? null,
    };
    const root = rootOf(c.id);
    const g = groups.get(root);
    if (g) g.push(item);
    else groups.set(root, [item]);
  }
  const threadByRoot = new Map<number, Thread>();
  for (const [rootId, items] of groups) {
    const rootItem = items.find((i) => i.ref === `rc:${rootId}`) ?? items[0]!;
    const replies = items.filter((i) => i !== rootItem).sort(byTime);
    const t: Thread = {
      root: rootItem,
      replies,
      resolved: null,
      resolvedBy: null,
      outdated: rootItem.outdated,
      threadId: null,
    };
    threadByRoot.set(rootId, t);
    threads.push(t);
  }

  // GraphQL's resolvedBy carries a login only. Its trust comes from how that login appears elsewhere in the
  // PR (its comments' and reviews' author_association); a login seen nowhere is not trusted.
  const associationOf = associationsByLogin(bundle);
  // GraphQL thread state: joined to the REST comments when ids match, else a thread of its own.
  for (const rt of bundle.review_threads ?? []) {
    const matched = matchThread(rt, byId, byNode, rootOf, threadByRoot);
    const resolvedBy = rt.resolved_by
      ? classifier.classify(rt.resolved_by, null, associationOf.get(rt.resolved_by.toLowerCase()) ?? null)
      : null;
    if (matched) {
      matched.resolved = rt.is_resolved;
      matched.resolvedBy = resolvedBy;
      matched.threadId = rt.id;
      if (rt.is_outdated === true) matched.outdated = true;
      continue;
    }
    const items: Item[] = rt.comments.map((c, n) => {
      const ref = c.id != null ? `rc:${c.id}` : c.node_id ? `rc:${c.node_id}` : `tc:${rt.id}/${n}`;
      return {
        kind: 'thread_comment' as const,
        ref,
        url: c.url ?? null,
        author: classifier.classify(c.author ?? null, null, c.author_association ?? null),
        ...analysed(c.body),
        path: c.path ?? rt.path ?? null,
        line: c.line ?? rt.line ?? null,
        outdated: rt.is_outdated === true,
        createdAt: c.created_at ?? null,
      };
    });
    if (items.length === 0) continue;
    threads.push({
      root: items[0]!,
      replies: items.slice(1),
      resolved: rt.is_resolved,
      resolvedBy,
      outdated: rt.is_outdated === true,
      threadId: rt.id,
    });
  }

  // Review bodies and conversation comments: one-item threads; a quote-reply joins the thread it quotes.
  const flat: Thread[] = [];
  for (const r of bundle.reviews) {
    const item: Item = {
      kind: 'review',
      ref: `rv:${r.id}`,
      url: r.html_url || null,
      author: classifier.classify(r.user?.login, r.user?.type, r.author_association),
      ...analysed(r.body),
      path: null,
      line: null,
      outdated: false,
      createdAt: r.submitted_at ?? null,
      reviewState: r.state,
    };
    flat.push({ root: item, replies: [], resolved: null, resolvedBy: null, outdated: false, threadId: null });
  }
  const issueItems: Item[] = bundle.issue_comments.map((c) => ({
    kind: 'issue_comment',
    ref: `ic:${c.id}`,
    url: c.html_url || null,
    author: classifier.classify(c.user?.login, c.user?.type, c.author_association),
    ...analysed(c.body),
    path: null,
    line: null,
    outdated: false,
    createdAt: c.created_at ?? null,
  }));
  for (const item of [...issueItems].sort(byTime)) {
    const target = item.clean.quoted.length ? findQuoted(item, flat) : null;
    if (target) target.replies.push(item);
    else flat.push({ root: item, replies: [], resolved: null, resolvedBy: null, outdated: false, threadId: null });
  }
  threads.push(...flat);
  return threads;
}

function matchThread(
  rt: ReviewThread,
  byId: Map<number, unknown>,
  byNode: Map<string, number>,
  rootOf: (id: number) => number,
  threadByRoot: Map<number, Thread>,
): Thread | null {
  for (const c of rt.comments) {
    const id = c.id != null && byId.has(c.id) ? c.id : c.node_id ? byNode.get(c.node_id) : undefined;
    if (id !== undefined) {
      const t = threadByRoot.get(rootOf(id));
      if (t) return t;
    }
  }
  return null;
}

/** How many earlier comments a quote-reply is matched against (newest first): bounds the work per PR. */
const QUOTE_LOOKBACK = 100;

const normalizedText = new WeakMap<Item, string>();
function normalizedOf(item: Item): string {
  let t = normalizedText.get(item);
  if (t === undefined) normalizedText.set(item, (t = normalizeForQuote(item.clean.text)));
  return t;
}

/** The earlier review body or conversation comment whose text holds the first quoted sentence of `item`. */
function findQuoted(item: Item, earlier: readonly Thread[]): Thread | null {
  const quote = normalizeForQuote(item.clean.quoted.join(' '));
  const probe = normalizeForQuote(splitSentences(item.clean.quoted.join('\n'))[0] ?? '');
  if (probe.length < 12) return null;
  for (let i = earlier.length - 1; i >= Math.max(0, earlier.length - QUOTE_LOOKBACK); i--) {
    const t = earlier[i]!;
    if (t.root.author.login && t.root.author.login === item.author.login) continue;
    const text = normalizedOf(t.root);
    if (text.includes(probe) || (quote.length >= 12 && text.includes(quote))) return t;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Evidence that a point was acted on.

const ACTED = [
  /^(?:\W*(?:resolved|done|fixed)\b)/i,
  /^(?:done|fixed|addressed|resolved|updated|added|removed|changed|applied|implemented|reverted|renamed|moved|replaced|switched|refactored|adjusted|corrected|handled|included|documented|deleted|dropped|converted|wrapped|extracted|rewrote|rewritten|reworded|clarified|simplified)\b/i,
  /\b(?:i'?ve|i have|we'?ve|we have|have now|has been|have been|now)\s+(?:added|updated|fixed|changed|removed|renamed|moved|replaced|addressed|applied|implemented|switched|reverted|refactored|adjusted|corrected|handled|documented|done|deleted|dropped|converted|wrapped|extracted|reworded|clarified|simplified)\b/i,
  /\b(?:fixed|addressed|done|resolved|handled|updated|applied|implemented|changed)\s+(?:in|by|with|via)\s+(?:[0-9a-f]{7,40}\b|commit\b|the latest\b|#\d+)/i,
  /\bapplied (?:the |your )?suggestions?\b/i,
  /\b(?:will|i'?ll|we'?ll)\s+(?:do|fix|update|add|change|address|remove|rename|move|switch|apply|revert)\b/i,
];
const AGREED =
  /^(?:(?:good|nice|great)\s+(?:catch|point|call|idea|find)|agreed?|makes sense|you'?re (?:absolutely )?right|indeed|\+1)\b/i;
const DISAGREED =
  /\b(won'?t fix|will not fix|not (going to|gonna)|no (further )?action (is )?(required|needed)|disagree|not needed|unnecessary|intentional(ly)?|by design|out of scope|(separate|follow[- ]?up|future|later) (pr|issue|ticket)|false positive|not applicable|not an issue|not a bug|don'?t think (so|this|that|we|it)|i'?d (rather|prefer) (not|to keep)|keep(ing)? it as is|leave (it|this) as is|not relevant|won'?t (change|do)|declin(e|ed|ing))\b/i;

export type ReplyVerdict = 'acted' | 'agreed' | 'disagreed' | 'neutral';

/** Reads a reply: did it say the point was done, agree with it, reject it, or none of these? */
export function replyVerdict(reply: Item): ReplyVerdict {
  if (/^\s*\[AI (automation|responder)\]/i.test(reply.body)) return 'neutral';
  const text = reply.clean.text.slice(0, 400);
  if (!text) return 'neutral';
  if (DISAGREED.test(text)) return 'disagreed';
  if (ACTED.some((re) => re.test(text))) return 'acted';
  if (AGREED.test(text)) return 'agreed';
  return 'neutral';
}

export type EvidenceKind = 'resolved' | 'outdated' | 'suggestion-applied' | 'reply-acted' | 'reply-agreed';

export interface Evidence {
  kinds: EvidenceKind[];
  /** Human-readable lines for provenance: "reply-acted by jleechan2015: DONE. Fixed order ...". */
  details: string[];
  /** The login of the human whose reply showed it was acted on, if any. */
  actedOnBy: string | null;
  /** Trusted humans other than the author who acted on or agreed with the point. */
  confirmedBy: string[];
  /** Someone (not a bot) rejected it in a reply; it then counts as not acted on. */
  rejected: boolean;
  /** The thread was resolved by a trusted human (an AI point needs a trusted human's action). */
  resolvedByTrusted: boolean;
  /** The commented line changed afterwards and the PR's author, who changed it, is trusted. */
  changedByTrustedAuthor: boolean;
}

export interface EvidenceOptions {
  /** Does an outdated line count for an AI reviewer's point? Default false: a moved line alone proves no human acted. */
  outdatedCountsForAi: boolean;
  /** Does an outdated line count for a human reviewer's point (5 → 6)? Default true. */
  outdatedCountsForHumans: boolean;
}

export const DEFAULT_EVIDENCE_OPTIONS: EvidenceOptions = { outdatedCountsForAi: false, outdatedCountsForHumans: true };

/**
 * Evidence on a thread's root point. `prAuthor` is the PR author's login (their agreement counts);
 * `prAuthorTrusted` says whether the policy trusts them (then a suggestion whose line they changed
 * counts as a trusted human's action, also on an AI reviewer's point).
 */
export function evidenceFor(thread: Thread, prAuthor: string | null, prAuthorTrusted = false): Evidence {
  const root = thread.root;
  const kinds: EvidenceKind[] = [];
  const details: string[] = [];
  let actedOnBy: string | null = null;
  const confirmedBy: string[] = [];
  let rejected = false;
  const resolverIsBot =
    thread.resolvedBy !== null && (thread.resolvedBy.kind === 'bot' || thread.resolvedBy.kind === 'ai-reviewer');
  if (thread.resolved === true && !resolverIsBot && !thread.resolvedBy?.denied) {
    kinds.push('resolved');
    details.push(thread.resolvedBy?.login ? `thread resolved by ${thread.resolvedBy.login}` : 'thread resolved');
  } else if (thread.resolved === true) {
    details.push(`thread resolved by ${thread.resolvedBy?.login ?? 'a bot'} (not counted)`);
  }
  if (thread.outdated || root.outdated) {
    kinds.push('outdated');
    details.push('commented line changed afterwards (outdated)');
  }
  if (root.clean.hasSuggestion && (kinds.includes('resolved') || kinds.includes('outdated'))) {
    kinds.push('suggestion-applied');
    details.push('suggested change, and the line changed or the thread was resolved');
  }
  const rootAuthor = root.author.name;
  for (const reply of thread.replies) {
    const a = reply.author;
    if (a.kind !== 'human' || a.denied || (rootAuthor !== null && a.name === rootAuthor)) continue;
    if (root.createdAt && reply.createdAt && reply.createdAt < root.createdAt) continue;
    const verdict = replyVerdict(reply);
    const isPrAuthor = prAuthor !== null && a.name === prAuthor.toLowerCase().replace(/\[bot\]$/, '');
    const excerpt = reply.clean.text.replace(/\s+/g, ' ').slice(0, 80);
    if (verdict === 'disagreed') {
      // A veto needs standing: a trusted human or the PR's author, not any passer-by.
      if (a.trusted || isPrAuthor) {
        rejected = true;
        details.push(`${a.login} disagreed: ${excerpt}`);
      } else {
        details.push(`${a.login} disagreed (not counted: not trusted): ${excerpt}`);
      }
    } else if ((verdict === 'acted' || verdict === 'agreed') && (isPrAuthor || a.trusted)) {
      // Like a veto, "Done" needs standing: only the PR's author or a trusted human can have acted on it.
      const kind: EvidenceKind = verdict === 'acted' ? 'reply-acted' : 'reply-agreed';
      if (!kinds.includes(kind)) kinds.push(kind);
      actedOnBy ??= a.login;
      details.push(`${kind} by ${a.login}: ${excerpt}`);
    } else if (verdict === 'acted' || verdict === 'agreed') {
      details.push(`${a.login} replied (not counted: neither the PR author nor trusted): ${excerpt}`);
    }
    if ((verdict === 'acted' || verdict === 'agreed') && a.trusted && a.login && !confirmedBy.includes(a.login))
      confirmedBy.push(a.login);
  }
  const resolvedByTrusted = kinds.includes('resolved') && thread.resolvedBy?.trusted === true;
  return {
    kinds,
    details,
    actedOnBy,
    confirmedBy,
    rejected,
    resolvedByTrusted,
    changedByTrustedAuthor: prAuthorTrusted && kinds.includes('outdated'),
  };
}

/** Each login's author_association as the bundle shows it (PR author, reviews, comments). */
function associationsByLogin(bundle: PrBundle): Map<string, string> {
  const out = new Map<string, string>();
  const note = (login: string | undefined | null, association: unknown) => {
    if (login && typeof association === 'string' && association !== 'NONE') out.set(login.toLowerCase(), association);
  };
  note(bundle.pull_request.user?.login, bundle.pull_request['author_association']);
  for (const r of bundle.reviews) note(r.user?.login, r.author_association);
  for (const c of bundle.review_comments) note(c.user?.login, c.author_association);
  for (const c of bundle.issue_comments) note(c.user?.login, c.author_association);
  return out;
}
