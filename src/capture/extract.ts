/**
 * Capture's pure core (docs/architecture.md, data flow; docs/trust.md): one PR bundle in, 0–5 lessons out, with provenance, and a reason for
 * every point that did not become a lesson. No I/O, no clock: the capture time comes in as `now`.
 *
 * Order of work: threads are built; explicit lessons (`Lesson:` lines, ```lesson blocks, ```pr-retro
 * blocks) are read from every comment; ordinary review points (thread roots, review bodies,
 * conversation comments) are read for a directive sentence, with evidence that they were acted on;
 * trust policy and the injection guard filter both; keys, skills and types are assigned; explicit
 * lessons rank first, then by confidence; near-duplicates within the PR collapse; the cap applies.
 *
 * Ids are deterministic (sha256 of project|pr|comment|index), so a recapture yields the same lessons;
 * a lesson already stored under that id keeps its `ts` and key, and never counts as its own recurrence.
 */
import { createHash } from 'node:crypto';
import { promptInjectionReason } from '../core/guard.js';
import { NewLessonSchema, type ExistingLesson, type LessonSource, type LessonType, type NewLesson } from '../core/lesson.js';
import { reviewTokens } from '../core/reviewTokens.js';
import { jaccard, keyPrefix } from '../core/text.js';
import { parseTimestamp } from '../core/time.js';
import { ActorClassifier, defaultTrustPolicy, type TrustPolicy } from './actors.js';
import { bundleRepository, type PrBundle } from './bundle.js';
import { splitSentences } from './clean.js';
import { findingOf } from './findings.js';
import { mentionsExplicit, parseExplicit, type ExplicitLesson, type ExplicitSyntax } from './explicit.js';
import { classifyType, generality, DEFAULT_ACTED_ON_THRESHOLD, DEFAULT_DIRECTIVE_THRESHOLD, DEFAULT_REPLIED_THRESHOLD, normalizeInsight, pickDirective, withContext } from './infer.js';
import {
  DEFAULT_KEY_REUSE,
  domainFromPath,
  domainFromText,
  makeKey,
  reuseKey,
  sanitizeKey,
  skillFor,
  type KeyCandidate,
  topicFromText,
  type KeyReuseOptions,
} from './keys.js';
import { boilerplateReason, isChecklist, isPraise } from './noise.js';
import {
  buildThreads,
  DEFAULT_EVIDENCE_OPTIONS,
  evidenceFor,
  replyVerdict,
  whereOf,
  type Evidence,
  type EvidenceOptions,
  type Item,
  type Thread,
} from './threads.js';

// What capture needs to know about a stored lesson: defined in core/lesson.ts so the store need not import
// capture; re-exported here for the importers of this module.
export type { ExistingLesson } from '../core/lesson.js';

/** Mycelium's confidence rubric (docs/trust.md), configurable. */
export interface ConfidenceRubric {
  userStated: number;
  userStatedConfirmed: number;
  crossModel: number;
  inferred: number;
  inferredActedOn: number;
  /** pr-retro lessons without a confidence of their own: by the source they record. */
  observed: number;
  /** Highest confidence an explicit lesson may state for itself (recurrence may add to it). */
  explicitMax: number;
  recurrenceBonus: number;
  max: number;
}

export const DEFAULT_RUBRIC: ConfidenceRubric = {
  userStated: 8,
  userStatedConfirmed: 9,
  crossModel: 8,
  inferred: 5,
  inferredActedOn: 6,
  observed: 7,
  explicitMax: 9,
  recurrenceBonus: 1,
  max: 10,
};

export const DEFAULT_IGNORE_MARKERS: readonly string[] = ['<!-- mycelium:ignore -->', 'mycelium: ignore', 'mycelium:ignore'];

export interface CaptureContext {
  /** Capture time (ISO 8601): the `ts` of new lessons. */
  now: string;
  /** Lessons already stored: for key reuse, recurrence, and keeping `ts` on recapture. */
  existing?: readonly ExistingLesson[];
  policy?: TrustPolicy;
  /** At most this many lessons per PR. Default 5. */
  maxLessons?: number;
  /** A PR with this label (case-insensitive) yields nothing. Default `no-lessons`. */
  noLessonsLabel?: string;
  /** A comment containing one of these (case-insensitive) is skipped. */
  ignoreMarkers?: readonly string[];
  rubric?: Partial<ConfidenceRubric>;
  evidence?: Partial<EvidenceOptions>;
  /** Score a sentence needs to count as a rule. Default 2. */
  directiveThreshold?: number;
  /**
   * Lower bar for a trusted human's point that the author answered with "done", "added …", "fixed in …"
   * (a reply, not only a resolved thread or a moved line). Default 1.
   */
  repliedDirectiveThreshold?: number;
  /** Bar for a trusted human's point whose thread was resolved or whose line changed. Default 1.5. */
  actedOnDirectiveThreshold?: number;
  keyReuse?: Partial<KeyReuseOptions>;
}

/** Why a lesson was taken: an explicit syntax, a trusted human's directive, a derived rule, an acted-on AI point. */
export type CaptureReason = ExplicitSyntax | 'stated' | 'inferred' | 'cross-model';

export interface Provenance {
  lesson_id: string;
  project: string;
  pr_number: number;
  pr_url: string;
  comment_url: string | null;
  /** `rc:<id>` review comment, `rv:<id>` review body, `ic:<id>` conversation comment, `tc:…` thread comment. */
  comment_ref: string;
  comment_author: string | null;
  comment_author_association: string;
  comment_created_at: string | null;
  captured_at: string;
  reason: CaptureReason;
  /** Evidence lines (resolved, outdated, replies) and, for inferred lessons, the cues that made it a rule. */
  evidence: string[];
  acted_on_by: string | null;
  confirmed_by: string[];
  /** The existing lesson whose key was reused, if any. */
  key_reused_from: string | null;
  /** Existing lessons from other PRs with the same key (the +1), at most 5 listed. */
  recurrence_from: string[];
  notes: string[];
}

export interface CapturedLesson {
  lesson: NewLesson;
  provenance: Provenance;
}

export interface SkipRecord {
  /** The comment's URL, else its reference (`rc:123`, `tc:<thread>/0`, ...), or the PR URL. */
  where: string;
  author: string | null;
  reason: string;
}

export interface CaptureCounts {
  threads: number;
  /** Comments read (roots, replies, review bodies, conversation comments). */
  comments: number;
  candidates: number;
  lessons: number;
  explicit: number;
  user_stated: number;
  cross_model: number;
  inferred: number;
  skipped: number;
  duplicates: number;
  over_cap: number;
}

export interface CaptureResult {
  project: string;
  pr_number: number;
  pr_url: string;
  lessons: CapturedLesson[];
  skipped: SkipRecord[];
  /**
   * Text the injection guard refused, kept for a maintainer to look at (the job summary), never stored as
   * a lesson and never shown where agents read. Each is also in `skipped`.
   */
  held: HeldRecord[];
  counts: CaptureCounts;
}

export interface HeldRecord {
  where: string;
  author: string | null;
  reason: string;
  /** The start of the refused rule text (at most 200 characters), as written. */
  excerpt: string;
}

interface Candidate {
  item: Item;
  order: number;
  /** Part of the id: `x<n>` explicit lesson n of the comment, `i0` the inferred point. */
  slot: string;
  reason: CaptureReason;
  insight: string;
  source: LessonSource;
  confidence: number;
  explicit: ExplicitLesson | null;
  evidence: Evidence | null;
  score: number;
  cues: string[];
  notes: string[];
}

export function lessonId(project: string, pr: number, ref: string, slot: string): string {
  return 'lsn-' + createHash('sha256').update(`${project}|${pr}|${ref}|${slot}`).digest('hex').slice(0, 32);
}

function hasIgnoreMarker(body: string, markers: readonly string[]): boolean {
  const text = body.toLowerCase().replace(/\s+/g, ' ');
  return markers.some((m) => m && text.includes(m.toLowerCase().replace(/\s+/g, ' ')));
}

function mostCommonDomain(bundle: PrBundle): string | null {
  const counts = new Map<string, number>();
  const paths = [
    ...bundle.review_comments.map((c) => c.path),
    ...(bundle.review_threads ?? []).flatMap((t) => [t.path, ...t.comments.map((c) => c.path)]),
  ];
  for (const p of paths) {
    const d = domainFromPath(p);
    if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [d, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (best === null || n > counts.get(best)!) best = d;
  return best;
}

function describeAuthor(item: Item): string {
  const a = item.author;
  return a.login ? `${a.login} (${a.kind}, ${a.association})` : 'unknown author';
}

export function extractLessons(bundle: PrBundle, ctx: CaptureContext): CaptureResult {
  if (parseTimestamp(ctx.now) === null) throw new Error(`capture: now is not an ISO 8601 timestamp: ${JSON.stringify(ctx.now)}`);
  const rubric: ConfidenceRubric = { ...DEFAULT_RUBRIC, ...ctx.rubric };
  const evidenceOpts: EvidenceOptions = { ...DEFAULT_EVIDENCE_OPTIONS, ...ctx.evidence };
  const keyOpts: KeyReuseOptions = { ...DEFAULT_KEY_REUSE, ...ctx.keyReuse };
  const maxLessons = ctx.maxLessons ?? 5;
  const threshold = ctx.directiveThreshold ?? DEFAULT_DIRECTIVE_THRESHOLD;
  const repliedThreshold = ctx.repliedDirectiveThreshold ?? DEFAULT_REPLIED_THRESHOLD;
  const actedOnThreshold = ctx.actedOnDirectiveThreshold ?? DEFAULT_ACTED_ON_THRESHOLD;
  const markers = ctx.ignoreMarkers ?? DEFAULT_IGNORE_MARKERS;
  const label = (ctx.noLessonsLabel ?? 'no-lessons').toLowerCase();
  const existing = ctx.existing ?? [];

  const pr = bundle.pull_request;
  const project = bundleRepository(bundle);
  const counts: CaptureCounts = {
    threads: 0,
    comments: 0,
    candidates: 0,
    lessons: 0,
    explicit: 0,
    user_stated: 0,
    cross_model: 0,
    inferred: 0,
    skipped: 0,
    duplicates: 0,
    over_cap: 0,
  };
  const result: CaptureResult = { project, pr_number: pr.number, pr_url: pr.html_url, lessons: [], skipped: [], held: [], counts };
  const skip = (where: string, author: string | null, reason: string): void => {
    result.skipped.push({ where, author, reason });
  };
  const hold = (where: string, author: string | null, why: string, text: string): void => {
    const reason = `held for review: looks like a prompt injection (${why})`;
    skip(where, author, reason);
    result.held.push({ where, author, reason, excerpt: text.slice(0, 200) });
  };

  if (pr.labels.some((l) => l.name.toLowerCase() === label)) {
    skip(pr.html_url, null, `PR labelled "${ctx.noLessonsLabel ?? 'no-lessons'}"`);
    counts.skipped = result.skipped.length;
    return result;
  }

  const classifier = new ActorClassifier(ctx.policy ?? defaultTrustPolicy());
  const threads = buildThreads(bundle, classifier);
  counts.threads = threads.length;
  const prAuthor = pr.user?.login ?? null;
  const prAuthorTrusted = classifier.classify(prAuthor, pr.user?.type ?? null, pr['author_association'] as string | undefined).trusted;
  const candidates: Candidate[] = [];
  let order = 0;

  const explicitFrom = (item: Item, thread: Thread): boolean => {
    if (!mentionsExplicit(item.body)) return false;
    const parsed = parseExplicit(item.body);
    for (const e of parsed.errors) skip(whereOf(item), item.author.login, e);
    if (parsed.lessons.length === 0) return parsed.errors.length > 0;
    for (const ex of parsed.lessons) {
      const where = whereOf(item);
      const isRetro = ex.syntax === 'pr-retro';
      if (isRetro ? !classifier.mayPostRetro(item.author) : !item.author.trusted) {
        skip(where, item.author.login, `explicit ${ex.syntax} from an author not trusted by policy: ${describeAuthor(item)}`);
        continue;
      }
      const injection = promptInjectionReason(ex.insight) ?? promptInjectionReason(item.body);
      if (injection) {
        hold(where, item.author.login, injection, ex.insight);
        continue;
      }
      const insight = normalizeInsight(ex.insight, 300) ?? (ex.insight.length >= 10 && ex.insight.length <= 300 ? ex.insight : null);
      if (!insight) {
        skip(where, item.author.login, `explicit ${ex.syntax}: insight must be 10 to 300 characters`);
        continue;
      }
      const notes = [...ex.notes];
      let source: LessonSource;
      let confidence: number;
      const ev = thread.root === item ? evidenceFor(thread, prAuthor) : null;
      const confirmers = confirmersOf(item, thread);
      if (isRetro) {
        source = ex.source ?? 'observed';
        const byDefault =
          source === 'user-stated' ? rubric.userStated : source === 'cross-model' ? rubric.crossModel : source === 'inferred' ? rubric.inferred : rubric.observed;
        confidence = Math.min(ex.confidence ?? byDefault, rubric.explicitMax);
      } else {
        source = 'user-stated';
        const byDefault = confirmers.length > 0 ? rubric.userStatedConfirmed : rubric.userStated;
        confidence = Math.min(ex.confidence ?? byDefault, rubric.explicitMax);
        if (confirmers.length > 0) notes.push(`confirmed by ${confirmers.join(', ')}`);
      }
      candidates.push({
        item,
        order: order++,
        slot: `x${ex.index}`,
        reason: ex.syntax,
        insight,
        source,
        confidence,
        explicit: ex,
        evidence: ev,
        score: Infinity,
        cues: [],
        notes,
      });
    }
    return true;
  };

  for (const whole of threads) {
    const items = [whole.root, ...whole.replies];
    // A reply marked to be ignored is not read at all: it is no evidence, confirmation or veto either.
    const thread: Thread = { ...whole, replies: whole.replies.filter((r) => !hasIgnoreMarker(r.body, markers)) };
    counts.comments += items.length;
    const root = thread.root;
    const where = whereOf(root);
    if (hasIgnoreMarker(root.body, markers)) {
      skip(where, root.author.login, 'comment marked to be ignored');
    } else if (!explicitFrom(root, thread)) {
      const why = inferenceSkipReason(root);
      if (why) skip(where, root.author.login, why);
      else inferFrom(thread);
    }
    for (const reply of whole.replies) {
      if (!mentionsExplicit(reply.body)) continue;
      if (hasIgnoreMarker(reply.body, markers)) skip(whereOf(reply), reply.author.login, 'comment marked to be ignored');
      else explicitFrom(reply, thread);
    }
  }

  function inferenceSkipReason(item: Item): string | null {
    if (item.kind === 'review' && !item.body.trim()) return 'empty review body';
    if (!item.body.trim()) return 'empty comment';
    const boiler = boilerplateReason(item.body);
    if (boiler) return `boilerplate: ${boiler}`;
    const a = item.author;
    if (a.denied) return `author on the deny list: ${a.login}`;
    if (a.kind === 'unknown') return 'author unknown (no login in the payload)';
    if (a.kind === 'bot') return `bot that is not a reviewer: ${a.login}`;
    if (a.kind === 'human' && !a.trusted) return `author not trusted by policy: ${describeAuthor(item)}`;
    return null;
  }

  function inferFrom(thread: Thread): void {
    const root = thread.root;
    const where = whereOf(root);
    const who = root.author.login;
    const sentences = splitSentences(root.clean.text);
    if (isChecklist(root.clean.checklistItems, sentences.length)) return skip(where, who, 'checklist');
    if (sentences.length === 0) return skip(where, who, 'nothing left after removing quotes, code and summaries');
    if (isPraise(sentences)) return skip(where, who, 'praise/thanks');
    const ev = evidenceFor(thread, prAuthor, prAuthorTrusted);
    const isAi = root.author.kind === 'ai-reviewer';
    // A trusted human's request that the author answered with "done"/"added …" needs less wording to count.
    const replied = !isAi && !ev.rejected && (ev.kinds.includes('reply-acted') || ev.kinds.includes('reply-agreed'));
    // A trusted human's point in a thread that was resolved or whose line changed was acted on: a request
    // about a general practice counts with a little less directive wording.
    const settled = !isAi && !ev.rejected && (ev.kinds.includes('resolved') || ev.kinds.includes('suggestion-applied') || ev.kinds.includes('outdated'));
    const bar = replied ? Math.min(threshold, repliedThreshold) : settled ? Math.min(threshold, actedOnThreshold) : threshold;
    const directive = pickDirective(sentences, bar);
    const { reason } = directive;
    // A finding ("this change is unrelated, please revert it") implies a rule in Mycelium's words: inferred.
    const finding = directive.pick ? null : findingOf(sentences);
    const pick = directive.pick ?? (finding && { sentence: sentences[finding.index]!, rule: finding.rule, form: 'finding' as const, index: finding.index, score: bar, cues: [`finding: ${finding.kind}`] });
    if (!pick) return skip(where, who, reason === 'question' ? 'question' : reason === 'praise' ? 'praise/thanks' : reason);
    const insight = normalizeInsight(pick.form === 'finding' ? pick.rule : withContext(sentences, pick));
    if (!insight) return skip(where, who, 'no clean rule sentence of 10–300 characters');
    const injection = promptInjectionReason(insight) ?? promptInjectionReason(root.clean.text) ?? promptInjectionReason(root.body);
    if (injection) return hold(where, who, injection, insight);
    if (ev.rejected && !ev.kinds.some((k) => k === 'reply-acted' || k === 'reply-agreed'))
      return skip(where, who, `rejected in a reply (${ev.details.find((d) => d.includes('disagreed')) ?? 'disagreed'})`);
    const trustedReply = ev.confirmedBy.length > 0 && (ev.kinds.includes('reply-acted') || ev.kinds.includes('reply-agreed'));
    const outdatedCounts = isAi ? evidenceOpts.outdatedCountsForAi : evidenceOpts.outdatedCountsForHumans;
    // For an AI reviewer's point the action must be a trusted human's: a thread resolved by the (possibly
    // untrusted) PR author proves nothing. A suggestion whose line a trusted PR author then changed counts.
    const resolvedCounts = isAi ? ev.resolvedByTrusted : ev.kinds.includes('resolved');
    const suggestionCounts =
      ev.kinds.includes('suggestion-applied') && (!isAi || ev.changedByTrustedAuthor || ev.resolvedByTrusted);
    const actedOn =
      resolvedCounts ||
      suggestionCounts ||
      (isAi ? trustedReply : ev.kinds.includes('reply-acted') || ev.kinds.includes('reply-agreed')) ||
      (outdatedCounts && ev.kinds.includes('outdated'));
    if (isAi && !actedOn)
      return skip(where, who, `AI reviewer point without evidence that a trusted human acted on it${ev.details.length ? ` (${ev.details.join('; ')})` : ''}`);
    // A trusted human's directive is the team stating a rule: user-stated. A rule Mycelium had to derive
    // (a suggesting question, a comparative, a statement of practice) is inferred.
    const confirmers = isAi ? [] : confirmersOf(root, thread);
    const source: LessonSource = isAi ? 'cross-model' : pick.form === 'directive' ? 'user-stated' : 'inferred';
    const confidence =
      source === 'cross-model'
        ? rubric.crossModel
        : source === 'user-stated'
          ? confirmers.length > 0
            ? rubric.userStatedConfirmed
            : rubric.userStated
          : actedOn
            ? rubric.inferredActedOn
            : rubric.inferred;
    candidates.push({
      item: root,
      order: order++,
      slot: 'i0',
      reason: source === 'cross-model' ? 'cross-model' : source === 'user-stated' ? 'stated' : 'inferred',
      insight,
      source,
      confidence,
      explicit: null,
      evidence: ev,
      score: pick.score,
      cues: pick.cues,
      notes: [
        ...(confirmers.length > 0 ? [`confirmed by ${confirmers.join(', ')}`] : []),
        ...(pick.form === 'finding' ? [`the rule of the reviewer's finding: "${pick.sentence.slice(0, 200)}"`] : []),
      ],
    });
  }

  counts.candidates = candidates.length;

  // Explicit first (in discussion order), then by confidence and directive strength.
  const ranked = [...candidates].sort((a, b) => {
    const ea = a.explicit ? 0 : 1;
    const eb = b.explicit ? 0 : 1;
    if (ea !== eb) return ea - eb;
    if (ea === 0) return a.order - b.order;
    // Among equals, the rule that carries over to other PRs goes before one about this diff's own names.
    return b.confidence - a.confidence || generality(b.insight) - generality(a.insight) || b.score - a.score || a.order - b.order;
  });

  const bundleDomain = mostCommonDomain(bundle);
  const byId = new Map(existing.map((e) => [e.id, e]));
  const pool: KeyCandidate[] = existing.map((e) => ({ id: e.id, key: e.key, type: e.type, project: e.project, tokens: reviewTokens(e.insight) }));
  const accepted: { key: string; tokens: ReadonlySet<string>; id: string }[] = [];

  for (const c of ranked) {
    const where = whereOf(c.item);
    const who = c.item.author.login;
    const id = lessonId(project, pr.number, c.item.ref, c.slot);
    const prior = byId.get(id);
    const ex = c.explicit;
    const path = c.item.path;
    // A lesson block's own `files:` win; the commented file is the fallback.
    const files = ex?.files?.length ? ex.files : path ? [path] : [];
    const givenKey = ex?.key ? sanitizeKey(ex.key) : '';
    const pathDomain = files[0] ? domainFromPath(files[0]) : null;
    // The area of practice before the language: one convention across the languages of a repository.
    const domain =
      (givenKey && givenKey.includes('-') ? givenKey.slice(0, givenKey.indexOf('-')).toLowerCase() : null) ??
      (pathDomain === 'ci' ? pathDomain : null) ??
      topicFromText(c.insight) ??
      pathDomain ??
      domainFromText(c.insight) ??
      bundleDomain ??
      'general';
    const type: LessonType = ex?.type ?? classifyType(c.insight, domain);
    // Keys are `<domain>-<slug>`: a given key without a domain gets one.
    let key = givenKey ? (givenKey.includes('-') ? givenKey : sanitizeKey(`${domain}-${givenKey}`)) : makeKey(domain, c.insight);
    let reusedFrom: string | null = null;
    if (prior) {
      key = prior.key;
    } else if (!givenKey) {
      const reuse = reuseKey(type, key, c.insight, project, pool, keyOpts, new Set([id]));
      if (reuse) {
        key = reuse.key;
        reusedFrom = reuse.from;
      }
    }
    const tokens = reviewTokens(c.insight);
    const dup = accepted.find((a) => a.key === key || jaccard(a.tokens, tokens) >= 0.6);
    if (dup) {
      counts.duplicates++;
      skip(where, who, `duplicate of ${dup.key} (${dup.id}) in this PR`);
      continue;
    }
    if (accepted.length >= maxLessons) {
      counts.over_cap++;
      skip(where, who, `over the per-PR cap of ${maxLessons} lessons: ${c.insight.slice(0, 80)}`);
      continue;
    }
    // Recurrence by distill's own join rule (same type; similar enough, or the same key), never from this PR.
    const recurrence = pool.filter((e, i) => {
      const stored = existing[i]!;
      if (e.id === id || (stored.project === project && stored.retro_pr === pr.number) || e.type !== type) return false;
      return e.key === key || joins(tokens, e.tokens, keyPrefix(key), keyPrefix(e.key));
    });
    // A recaptured lesson keeps its stored confidence: stored rows are never rewritten, and the output says
    // what the database holds (a later PR reusing its key must not make it look like +1 now).
    const confidence = prior?.confidence ?? Math.min(rubric.max, c.confidence + (recurrence.length > 0 ? rubric.recurrenceBonus : 0));
    const sourceBot = c.source === 'cross-model' ? (c.item.author.name ?? null) : null;
    const lesson: NewLesson = {
      id,
      ts: prior?.ts ?? ctx.now,
      project,
      // The subject is the language or area the rule is about (its file, its words), not the key's topic.
      skill: ex?.skill ?? skillFor(pathDomain ?? domainFromText(c.insight) ?? bundleDomain ?? domain, c.insight),
      type,
      key,
      insight: c.insight,
      confidence,
      source: c.source,
      files,
      retro_pr: pr.number,
      source_bot: sourceBot,
      tags: ex?.tags ?? [],
      retrospective_id: ex?.retrospective_id ?? null,
      ...(ex?.agent_type ? { agent_type: ex.agent_type } : {}),
    };
    const valid = NewLessonSchema.safeParse(lesson);
    if (!valid.success) {
      skip(where, who, `invalid lesson: ${valid.error.issues[0]?.message ?? 'schema'}`);
      continue;
    }
    accepted.push({ key, tokens, id });
    const ev = c.evidence;
    result.lessons.push({
      lesson,
      provenance: {
        lesson_id: id,
        project,
        pr_number: pr.number,
        pr_url: pr.html_url,
        comment_url: c.item.url,
        comment_ref: c.item.ref,
        comment_author: c.item.author.login,
        comment_author_association: c.item.author.association,
        comment_created_at: c.item.createdAt,
        captured_at: lesson.ts,
        reason: c.reason,
        evidence: [...(ev?.details ?? []), ...(c.cues.length ? [`directive cues: ${c.cues.join(', ')} (score ${c.score.toFixed(2)})`] : [])],
        acted_on_by: ev?.actedOnBy ?? null,
        confirmed_by: ev?.confirmedBy ?? [],
        key_reused_from: reusedFrom,
        recurrence_from: recurrence.slice(0, 5).map((e) => e.id),
        notes: c.notes,
      },
    });
    if (c.explicit) counts.explicit++;
    if (c.source === 'user-stated') counts.user_stated++;
    else if (c.source === 'cross-model') counts.cross_model++;
    else if (c.source === 'inferred') counts.inferred++;
  }
  counts.lessons = result.lessons.length;
  counts.skipped = result.skipped.length;
  return result;
}

/** Distill's join rule over review tokens: ≥ 0.34, or ≥ 0.15 with the same non-empty key prefix. */
function joins(a: ReadonlySet<string>, b: ReadonlySet<string>, prefixA: string | null, prefixB: string | null): boolean {
  const sim = jaccard(a, b);
  return sim >= 0.34 || (prefixA !== null && prefixA === prefixB && sim >= 0.15);
}

/** Trusted humans, other than the author, who agreed with or acted on `item` in a later reply. */
function confirmersOf(item: Item, thread: Thread): string[] {
  const after = thread.root === item ? thread.replies : thread.replies.slice(thread.replies.indexOf(item) + 1);
  const out: string[] = [];
  for (const r of after) {
    if (!r.author.trusted || !r.author.login || r.author.name === item.author.name) continue;
    if (replyVerdict(r) === 'disagreed') continue; // "Right, but I disagree …" confirms nothing
    const t = r.clean.text.slice(0, 300);
    if (/^(?:agreed?|\+1|yes|yep|exactly|makes sense|good (?:point|call|catch)|lgtm|done|fixed|will do|indeed|true|right)\b/i.test(t) && !out.includes(r.author.login))
      out.push(r.author.login);
  }
  return out;
}
