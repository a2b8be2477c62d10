/** Full lesson rows read back and validated, as mycelium reads them (retired and parked rows hidden). */
import type { Database, SqlValue } from 'sql.js';
import { isParked, StoredLessonRowSchema, type StoredLesson } from '../core/lesson.js';
import { LessonsDbError } from './migrate.js';
import { LESSON_COLUMNS } from './schema.js';

export interface ListOptions {
  project?: string | null;
  limit?: number | null;
  includeRetired?: boolean;
  /** Told about each row that was repaired or skipped; without it such a row is an error. */
  onBadRow?: (message: string) => void;
}

/** Full rows, validated; a row that does not validate is an error naming its id. */
export function listLessons(db: Database, opts: ListOptions = {}): StoredLesson[] {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  if (!opts.includeRetired) clauses.push('retired_at IS NULL');
  if (opts.project) {
    clauses.push('project = ?');
    params.push(opts.project);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const limit = opts.limit ? `LIMIT ${Math.floor(opts.limit)}` : '';
  const stmt = db.prepare(
    `SELECT ${LESSON_COLUMNS.join(', ')} FROM lessons ${where} ORDER BY ts DESC, rowid ASC ${limit}`,
  );
  const out: StoredLesson[] = [];
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const row = stmt.getAsObject();
      let parsed = StoredLessonRowSchema.safeParse(row);
      const problem = (p: typeof parsed): string => {
        const issue = p.error?.issues[0];
        return `lesson row ${String(row['id'])}: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`;
      };
      if (!parsed.success && opts.onBadRow) {
        // As mycelium: a files/tags value that is not a JSON array reads as [] (with a warning); any
        // other bad value skips the row, so one broken row never hides the rest.
        const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
        if ([...fields].every((f) => f === 'files' || f === 'tags')) {
          opts.onBadRow(`${problem(parsed)}; read as []`);
          parsed = StoredLessonRowSchema.safeParse({ ...row, ...Object.fromEntries([...fields].map((f) => [f, '[]'])) });
        }
        if (!parsed.success) {
          opts.onBadRow(`${problem(parsed)}; row skipped`);
          continue;
        }
      }
      if (!parsed.success) throw new LessonsDbError(problem(parsed));
      // Mycelium hides parked lessons from reads, as it does retired ones.
      if (!opts.includeRetired && isParked(parsed.data.tags)) continue;
      out.push(parsed.data);
    }
  } finally {
    stmt.free();
  }
  return out;
}

export function getLesson(db: Database, id: string): StoredLesson | null {
  const stmt = db.prepare(`SELECT ${LESSON_COLUMNS.join(', ')} FROM lessons WHERE id = ?`);
  try {
    stmt.bind([id]);
    if (!stmt.step()) return null;
    return StoredLessonRowSchema.parse(stmt.getAsObject());
  } finally {
    stmt.free();
  }
}
