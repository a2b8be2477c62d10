/** What capture stores and reads back: lessons with their provenance, and the PRs already captured. */
import type { Database } from 'sql.js';
import { toLesson, type ExistingLesson, type NewLesson } from '../core/lesson.js';
import { LESSON_COLUMNS } from './schema.js';
import { toSqlValue } from './sqlValues.js';

/** One PR's capture as the store records it (the shape extractLessons returns, plus the PR's facts). */
export interface PrCapture {
  project: string;
  prNumber: number;
  mergedAt: string | null;
  capturedAt: string;
  lessons: ReadonlyArray<{
    lesson: NewLesson;
    provenance: {
      lesson_id: string;
      project: string;
      pr_number: number;
      pr_url: string;
      comment_url: string | null;
      comment_author: string | null;
      comment_created_at: string | null;
      captured_at: string;
      reason: string;
      recurrence_from: readonly string[];
    };
  }>;
}

export interface ProvenanceRow {
  lesson_id: string;
  pr_url: string | null;
  comment_url: string | null;
  comment_author: string | null;
  reason: string | null;
}

/** What capture needs of a project's stored lessons: key reuse, recurrence, and recapture detection. */
export function existingForCapture(db: Database, project: string): ExistingLesson[] {
  const out: ExistingLesson[] = [];
  const stmt = db.prepare(
    'SELECT id, key, type, insight, retro_pr, project, ts, confidence FROM lessons WHERE project = ? AND retired_at IS NULL',
  );
  try {
    stmt.bind([project]);
    while (stmt.step()) {
      const v = stmt.get();
      out.push({
        id: String(v[0]),
        key: String(v[1]),
        type: String(v[2]),
        insight: String(v[3]),
        retro_pr: v[4] === null ? null : Number(v[4]),
        project: String(v[5]),
        ts: String(v[6]),
        confidence: Number(v[7]),
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}

/**
 * Stores one PR's capture in one transaction. Lessons whose id is already stored are left exactly as
 * they are (recapture changes nothing); a new lesson that recurs bumps the access count of the earlier
 * lessons it recurs with. Returns the ids actually inserted.
 */
export function recordCapture(db: Database, transaction: <T>(work: () => T) => T, capture: PrCapture): string[] {
  const lessons = capture.lessons.map((c) => ({ lesson: toLesson(c.lesson), provenance: c.provenance }));
  const placeholders = LESSON_COLUMNS.map(() => '?').join(', ');
  return transaction(() => {
    const inserted: string[] = [];
    const insert = db.prepare(
      `INSERT INTO lessons (${LESSON_COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT(id) DO NOTHING`,
    );
    try {
      for (const { lesson, provenance } of lessons) {
        insert.run(LESSON_COLUMNS.map((c) => toSqlValue(lesson[c])));
        if (db.getRowsModified() === 0) continue;
        inserted.push(lesson.id);
        const { lesson_id, project, pr_number, pr_url, comment_url, comment_author, comment_created_at, captured_at, reason, ...detail } =
          provenance;
        db.run(
          `INSERT OR IGNORE INTO lesson_provenance
           (lesson_id, project, pr_number, pr_url, comment_url, comment_author, comment_created_at, captured_at, reason, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [lesson_id, project, pr_number, pr_url, comment_url, comment_author, comment_created_at, captured_at, reason, JSON.stringify(detail)],
        );
        for (const earlier of provenance.recurrence_from) {
          db.run('UPDATE lessons SET access_count = access_count + 1, last_accessed_at = ? WHERE id = ?', [
            captured_at,
            earlier,
          ]);
        }
      }
    } finally {
      insert.free();
    }
    db.run(
      'INSERT OR IGNORE INTO captured_prs (project, pr_number, merged_at, first_captured_at) VALUES (?, ?, ?, ?)',
      [capture.project, capture.prNumber, capture.mergedAt, capture.capturedAt],
    );
    return inserted;
  });
}

export function capturedPrNumbers(db: Database, project: string): Set<number> {
  const rows = db.exec('SELECT pr_number FROM captured_prs WHERE project = ?', [project]);
  return new Set(rows.flatMap((r) => r.values.map((v) => Number(v[0]))));
}

export function provenanceFor(db: Database, ids: readonly string[]): Map<string, ProvenanceRow> {
  const out = new Map<string, ProvenanceRow>();
  const stmt = db.prepare(
    'SELECT lesson_id, pr_url, comment_url, comment_author, reason FROM lesson_provenance WHERE lesson_id = ?',
  );
  try {
    for (const id of ids) {
      stmt.bind([id]);
      if (stmt.step()) {
        const v = stmt.get();
        out.set(id, {
          lesson_id: String(v[0]),
          pr_url: v[1] === null ? null : String(v[1]),
          comment_url: v[2] === null ? null : String(v[2]),
          comment_author: v[3] === null ? null : String(v[3]),
          reason: v[4] === null ? null : String(v[4]),
        });
      }
      stmt.reset();
    }
  } finally {
    stmt.free();
  }
  return out;
}

