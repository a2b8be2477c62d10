import type { PrBundle } from '../capture/bundle.js';
import { extractLessons, type CaptureContext, type CaptureResult, type HeldRecord, type SkipRecord } from '../capture/extract.js';
import type { LessonRepository } from '../ports/index.js';

export type CaptureSettings = Omit<CaptureContext, 'now' | 'existing'>;

export interface CaptureOutcome {
  project: string;
  prNumber: number;
  prUrl: string;
  /** Lessons the extraction produced for this PR. */
  lessons: CaptureResult['lessons'];
  /** Ids newly stored; a recapture stores none. */
  inserted: string[];
  skipped: SkipRecord[];
  /** Texts the guard refused, for a maintainer (the job summary); never stored. */
  held: HeldRecord[];
  counts: CaptureResult['counts'];
  /** False when the PR was not merged (nothing was read or stored). */
  merged: boolean;
}

/**
 * Captures one PR into the store: extraction against the project's stored lessons, then one transaction.
 * Idempotent: lesson ids are derived from the PR and comment, and stored rows are never rewritten.
 */
export function captureBundle(store: LessonRepository, bundle: PrBundle, now: string, settings: CaptureSettings = {}): CaptureOutcome {
  const project = bundle.pull_request.base.repo.full_name;
  const pr = bundle.pull_request;
  if (pr.merged !== true && pr.merged_at === null) {
    // Lessons come from merged PRs only; not recording it lets catch-up capture it once it is merged.
    return {
      project,
      prNumber: pr.number,
      prUrl: pr.html_url,
      lessons: [],
      inserted: [],
      skipped: [{ where: pr.html_url, author: null, reason: 'PR is not merged (merged_at is null or missing): nothing captured' }],
      held: [],
      counts: { threads: 0, comments: 0, candidates: 0, lessons: 0, explicit: 0, user_stated: 0, cross_model: 0, inferred: 0, skipped: 1, duplicates: 0, over_cap: 0 },
      merged: false,
    };
  }
  const result = extractLessons(bundle, { ...settings, now, existing: store.existingForCapture(project) });
  const inserted = store.recordCapture({
    project: result.project,
    prNumber: result.pr_number,
    mergedAt: bundle.pull_request.merged_at,
    capturedAt: now,
    lessons: result.lessons,
  });
  return {
    project: result.project,
    prNumber: result.pr_number,
    prUrl: result.pr_url,
    lessons: result.lessons,
    inserted,
    skipped: result.skipped,
    held: result.held,
    counts: result.counts,
    merged: true,
  };
}

/** Captures several PRs in PR order, all or nothing: a failure stores none of them. */
export function captureBundles(
  store: LessonRepository,
  bundles: readonly PrBundle[],
  now: string,
  settings: CaptureSettings = {},
): CaptureOutcome[] {
  const ordered = [...bundles].sort(
    (a, b) =>
      a.pull_request.base.repo.full_name.localeCompare(b.pull_request.base.repo.full_name) ||
      a.pull_request.number - b.pull_request.number,
  );
  return store.transaction(() => ordered.map((b) => captureBundle(store, b, now, settings)));
}
