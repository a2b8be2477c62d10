/**
 * The one module that owns sql.js: opens a lessons database from bytes, makes sure it is data only, migrates
 * it and queries it. Files are read and written by the callers (adapters); this works on bytes.
 *
 * Opening untrusted bytes (an artifact, a file, a seed mycelium database; SPEC §5): the file's schema is
 * read, not run (store/inspect.ts). A file that is exactly a lessons database (mycelium's table, ours, their
 * plain indexes, values of the right types) is used as it is. Anything else (triggers, views, unknown tables,
 * columns or indexes, expression or partial indexes, CHECKs or column types not ours, wrongly typed values)
 * is rebuilt as data only (store/rebuild.ts), with one warning line naming what was dropped; its valid rows
 * are kept. A file that is not SQLite, cannot be read, or has no usable lessons table is refused.
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import type { HarvestRow } from '../core/distill.js';
import { toLesson, type ExistingLesson, type Lesson, type NewLesson, type StoredLesson } from '../core/lesson.js';
import type { TierRow } from '../core/tiers.js';
import type { DecisionState } from '../core/conventionsDecisions.js';
import { readDecisionState, retireLessons, writeDecisionState } from './decisions.js';
import { harvestRows } from './harvest.js';
import { inspectDatabase } from './inspect.js';
import { assertSchemaNotNewer, LessonsDbError, migrate } from './migrate.js';
import { capturedPrNumbers, existingForCapture, provenanceFor, recordCapture, type PrCapture, type ProvenanceRow } from './provenance.js';
import { getLesson, listLessons, type ListOptions } from './readLessons.js';
import { describeRebuild, rebuildAsData } from './rebuild.js';
import { LESSON_COLUMNS, SQLITE_HEADER } from './schema.js';
import { toSqlValue } from './sqlValues.js';
import { loadSqlJs } from './sqljs.js';

export { SCHEMA_VERSION } from './schema.js';
export { LessonsDbError } from './migrate.js';
export { compareSqlValues } from './sqlValues.js';
export type { PrCapture, ProvenanceRow } from './provenance.js';
export type { ListOptions } from './readLessons.js';

export interface OpenOptions {
  /** Told, in one line, what was dropped when the file had to be rebuilt as data only. */
  warn?: (message: string) => void;
}

export class LessonsStore {
  private depth = 0;
  private closed = false;

  private constructor(
    private readonly db: Database,
    /** The warning line when the file was rebuilt as data only (null when it was used as it is). */
    readonly rebuilt: string | null,
    private readonly warn: ((message: string) => void) | null = null,
  ) {}

  /**
   * Opens a database from bytes (empty or absent: a new database). `label` names the source in messages.
   * Refuses bytes that are not SQLite, a SQLite database with tables but no lessons table, or one whose
   * lessons table lacks a required column; rebuilds one that holds more than data (see the module comment).
   */
  static async open(bytes: Uint8Array | null, label: string, options: OpenOptions = {}): Promise<LessonsStore> {
    const SQL = await loadSqlJs(bytes?.length ?? 0);
    if (bytes === null || bytes.length === 0) {
      const db = new SQL.Database();
      migrate(db, label);
      return new LessonsStore(db, null);
    }
    const header = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
    if (header !== SQLITE_HEADER) throw new LessonsDbError(`${label} is not a SQLite database`);
    let db: Database = new SQL.Database(bytes);
    let rebuilt: string | null = null;
    try {
      // Functions in the file's schema may only be SQLite's harmless ones, should any of it ever run.
      db.run('PRAGMA trusted_schema = OFF');
      const inspection = inspectDatabase(db);
      if (inspection.refusal) throw new LessonsDbError(`${label}: ${inspection.refusal}; refusing to use it`);
      // Checked before anything is rewritten, so a newer file is refused rather than rebuilt into an older one.
      const meta = inspection.tables.get('mycelium_meta');
      if (meta?.readable.has('key') && meta.readable.has('value')) assertSchemaNotNewer(db, label);
      // Values are not scanned here (a full read of a large file would cost seconds on every run): in a table
      // declared as ours, SQLite's column affinity already keeps most of them right, and the readers check each
      // value they use (harvestRows, listLessons) and skip a row of the wrong types with a warning.
      const asItIs = !inspection.foreign.length && [...inspection.tables.values()].every((t) => t.ours);
      if (!asItIs) {
        const source = db;
        const result = rebuildAsData(SQL, source, inspection);
        db = result.db;
        source.close();
        rebuilt = describeRebuild(label, inspection, result.copies);
      }
      migrate(db, label);
    } catch (err) {
      db.close();
      if (err instanceof LessonsDbError) throw err;
      throw new LessonsDbError(`${label} cannot be read as a lessons database: ${(err as Error).message}`);
    }
    if (rebuilt) options.warn?.(rebuilt);
    return new LessonsStore(db, rebuilt, options.warn ?? null);
  }

  private prepareUpsert(): Statement {
    const placeholders = LESSON_COLUMNS.map(() => '?').join(', ');
    const updates = LESSON_COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    return this.db.prepare(
      `INSERT INTO lessons (${LESSON_COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT(id) DO UPDATE SET ${updates}`,
    );
  }

  /** Inserts new lessons, or replaces rows with the same id, in one transaction (all or nothing). */
  upsertLessons(inputs: readonly NewLesson[]): Lesson[] {
    const lessons = inputs.map(toLesson);
    const stmt = this.prepareUpsert();
    try {
      this.transaction(() => {
        for (const lesson of lessons) stmt.run(LESSON_COLUMNS.map((c) => toSqlValue(lesson[c])));
      });
    } finally {
      stmt.free();
    }
    return lessons;
  }

  /**
   * {@link upsertLessons} for many rows at once (bulk loads, the benchmark): streams its input, validates
   * each lesson the same way, keeps nothing, and returns how many rows it wrote. One transaction, one
   * prepared statement: all rows land, or none does.
   */
  upsertLessonsBulk(inputs: Iterable<NewLesson>): number {
    const stmt = this.prepareUpsert();
    const values: SqlValue[] = new Array<SqlValue>(LESSON_COLUMNS.length);
    let written = 0;
    this.db.run('BEGIN');
    try {
      for (const input of inputs) {
        const lesson = toLesson(input);
        for (let c = 0; c < LESSON_COLUMNS.length; c++) values[c] = toSqlValue(lesson[LESSON_COLUMNS[c]!]);
        stmt.run(values);
        written++;
      }
      this.db.run('COMMIT');
    } catch (err) {
      this.db.run('ROLLBACK');
      throw err;
    } finally {
      stmt.free();
    }
    return written;
  }

  count(): number {
    return Number(this.db.exec('SELECT count(*) FROM lessons')[0]?.values[0]?.[0] ?? 0);
  }

  /** Rows inserted, updated or deleted since the database was opened (migration included): 0 = unchanged. */
  changesSinceOpen(): number {
    return Number(this.db.exec('SELECT total_changes()')[0]?.values[0]?.[0] ?? 0);
  }

  /**
   * The columns distill needs, active rows only, newest first by stored text (ties in insertion order):
   * the order of `ORDER BY ts DESC, rowid ASC` (store/harvest.ts).
   */
  harvestRows(project?: string | null): Generator<HarvestRow> {
    return harvestRows(this.db, project, this.warn);
  }

  /** Full rows, validated; a row that does not validate is an error naming its id (unless `onBadRow`). */
  listLessons(opts: ListOptions = {}): StoredLesson[] {
    return listLessons(this.db, opts);
  }

  hasLesson(id: string): boolean {
    return (this.db.exec('SELECT 1 FROM lessons WHERE id = ? LIMIT 1', [id])[0]?.values.length ?? 0) > 0;
  }

  getLesson(id: string): StoredLesson | null {
    return getLesson(this.db, id);
  }

  tierRows(): TierRow[] {
    const rows: TierRow[] = [];
    const stmt = this.db.prepare("SELECT id, ts, tier, access_count FROM lessons WHERE tier != 'archival'");
    try {
      while (stmt.step()) {
        const v = stmt.get();
        rows.push({ id: String(v[0]), ts: String(v[1]), tier: String(v[2]), access_count: Number(v[3] ?? 0) });
      }
    } finally {
      stmt.free();
    }
    return rows;
  }

  setTier(id: string, tier: string, archivedPath: string | null = null): void {
    if (archivedPath === null) this.db.run('UPDATE lessons SET tier = ? WHERE id = ?', [tier, id]);
    else this.db.run('UPDATE lessons SET tier = ?, archived_path = ? WHERE id = ?', [tier, archivedPath, id]);
  }

  /**
   * Runs `work` in one transaction: every write in it lands, or none does. Savepoints, so transactions
   * nest (capturing many PRs at once wraps the per-PR transactions in one).
   */
  transaction<T>(work: () => T): T {
    const name = `sp${this.depth++}`;
    this.db.run(`SAVEPOINT ${name}`);
    try {
      const result = work();
      this.db.run(`RELEASE ${name}`);
      return result;
    } catch (err) {
      this.db.run(`ROLLBACK TO ${name}`);
      this.db.run(`RELEASE ${name}`);
      throw err;
    } finally {
      this.depth--;
    }
  }

  /** What capture needs of a project's stored lessons: key reuse, recurrence, and recapture detection. */
  existingForCapture(project: string): ExistingLesson[] {
    return existingForCapture(this.db, project);
  }

  /**
   * Stores one PR's capture in one transaction. Lessons whose id is already stored are left exactly as
   * they are (recapture changes nothing); a new lesson that recurs bumps the access count of the earlier
   * lessons it recurs with. Returns the ids actually inserted.
   */
  recordCapture(capture: PrCapture): string[] {
    return recordCapture(this.db, (work) => this.transaction(work), capture);
  }

  capturedPrNumbers(project: string): Set<number> {
    return capturedPrNumbers(this.db, project);
  }

  provenanceFor(ids: readonly string[]): Map<string, ProvenanceRow> {
    return provenanceFor(this.db, ids);
  }

  /** Counts a lesson's appearance in a posted digest (tiers promote lessons that keep being used). */
  touchLessons(ids: readonly string[], when: string): void {
    this.transaction(() => {
      for (const id of ids) {
        this.db.run('UPDATE lessons SET access_count = access_count + 1, last_accessed_at = ? WHERE id = ?', [when, id]);
      }
    });
  }

  /** The team's decisions held in this database (store/decisions.ts). */
  decisionState(): DecisionState {
    return readDecisionState(this.db).state;
  }

  /** Replaces the stored decision state with `state` (callers merge first). */
  saveDecisionState(state: DecisionState): void {
    writeDecisionState(this.db, state);
  }

  /** Retires active lessons (`retired_at`): no later read sees them. Returns the ids retired now. */
  retireLessons(ids: readonly string[], at: string, reason: string): string[] {
    return this.transaction(() => retireLessons(this.db, ids, at, reason));
  }

  /** A value kept in mycelium_meta (our key/value table), or null when there is none. */
  metaValue(key: string): string | null {
    const rows = this.db.exec('SELECT value FROM mycelium_meta WHERE key = ?', [key]);
    const v = rows[0]?.values[0]?.[0];
    return v === undefined || v === null ? null : String(v);
  }

  /** Sets (or, with null, removes) a value in mycelium_meta. */
  setMetaValue(key: string, value: string | null): void {
    if (value === null) this.db.run('DELETE FROM mycelium_meta WHERE key = ?', [key]);
    else this.db.run('INSERT OR REPLACE INTO mycelium_meta (key, value) VALUES (?, ?)', [key, value]);
  }

  export(): Uint8Array {
    return this.db.export();
  }

  /** Frees the database (sql.js holds the whole file in memory); a second call does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
