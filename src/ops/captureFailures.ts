/**
 * PRs whose capture failed, kept in the database with their reason, so one broken PR never blocks the others for
 * ever: each run's catch-up retries it, and after {@link MAX_CAPTURE_ATTEMPTS} failed runs it is recorded as
 * captured with no lessons (catch-up stops asking for it) and named in a warning. A later `pr-number` capture of
 * that PR still works: capture does not look at this list.
 */
import { z } from 'zod';
import type { LessonRepository, Logger } from '../ports/index.js';

export const MAX_CAPTURE_ATTEMPTS = 3;

const FailuresSchema = z.record(z.string().regex(/^\d+$/), z.object({ attempts: z.number().int().min(1), reason: z.string(), last: z.string() }));
export type CaptureFailures = z.infer<typeof FailuresSchema>;

const keyFor = (project: string) => `capture_failures:${project}`;

/** The recorded failures of `project`; an unreadable record counts as none (it is rebuilt by the next failures). */
export function readCaptureFailures(store: Pick<LessonRepository, 'metaValue'>, project: string): CaptureFailures {
  const text = store.metaValue(keyFor(project));
  if (text === null) return {};
  try {
    const parsed = FailuresSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * Records this run's outcome: failed PRs count one more attempt (and are given up at the bound), captured ones are
 * forgotten. Returns the PRs given up now, with their reasons.
 */
export function recordCaptureFailures(
  store: Pick<LessonRepository, 'metaValue' | 'setMetaValue' | 'recordCapture'>,
  project: string,
  outcome: { failed: ReadonlyArray<{ pr: number; error: string }>; captured: readonly number[] },
  now: string,
  log: Logger,
): Array<{ pr: number; reason: string }> {
  const failures = readCaptureFailures(store, project);
  for (const pr of outcome.captured) delete failures[String(pr)];
  const givenUp: Array<{ pr: number; reason: string }> = [];
  for (const f of outcome.failed) {
    const attempts = (failures[String(f.pr)]?.attempts ?? 0) + 1;
    if (attempts >= MAX_CAPTURE_ATTEMPTS) {
      delete failures[String(f.pr)];
      store.recordCapture({ project, prNumber: f.pr, mergedAt: null, capturedAt: now, lessons: [] });
      givenUp.push({ pr: f.pr, reason: f.error });
      log.warning(`catch-up: ${project}#${f.pr} failed in ${attempts} runs, not retried any more (last reason: ${f.error}); capture it with pr-number once fixed`);
    } else {
      failures[String(f.pr)] = { attempts, reason: f.error, last: now };
    }
  }
  store.setMetaValue(keyFor(project), Object.keys(failures).length ? JSON.stringify(failures) : null);
  return givenUp;
}
