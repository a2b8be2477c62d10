/**
 * The one module that owns sql.js: opens, validates, migrates and queries a lessons database.
 * Files are read and written by the callers (adapters); this works on bytes.
 */
import type { Database, SqlValue, Statement } from 'sql.js';
import type { ExistingLesson } from '../capture/extract.js';
import type { HarvestRow } from '../core/distill.js';
import { isParked, StoredLessonRowSchema, toLesson, type Lesson, type NewLesson, type StoredLesson } from '../core/lesson.js';
import type { TierRow } from '../core/tiers.js';
import { loadSqlJs } from './sqljs.js';

/** Bumped by every migration of our own tables; kept in `mycelium_meta`, not `PRAGMA user_version` (mycelium's). */
export const SCHEMA_VERSION = 2;

const SQLITE_HEADER = 'SQLite format 3\u0000';

const LESSON_COLUMNS = [
  'id',
  'ts',
  'project',
  'skill',
  'type',
  'key',
  'insight',
  'confidence',
  'source',
  'trusted',
  'files',
  'handover_id',
  'retrospective_id',
  'retro_pr',
  'device',
  'agent_type',
  'source_bot',
  'tags',
  'tier',
  'last_accessed_at',
  'access_count',
  'archived_path',
  'retired_at',
  'retired_reason',
  'superseded_by',
] as const;

const CREATE_LESSONS = `
CREATE TABLE IF NOT EXISTS lessons (
  id TEXT PRIMARY KEY,
  ts TEXT NOT NULL,
  project TEXT NOT NULL,
  skill TEXT,
  type TEXT NOT NULL CHECK (type IN ('pattern','pitfall','preference','architecture','tool','operational','investigation')),
  key TEXT NOT NULL,
  insight TEXT NOT NULL CHECK (length(insight) >= 10),
  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 10),
  source TEXT NOT NULL CHECK (source IN ('observed','user-stated','inferred','cross-model')),
  trusted INTEGER NOT NULL DEFAULT 0,
  files TEXT NOT NULL DEFAULT '[]',
  handover_id TEXT,
  retrospective_id TEXT,
  retro_pr INTEGER,
  device TEXT,
  agent_type TEXT NOT NULL DEFAULT 'claude',
  source_bot TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  tier TEXT NOT NULL DEFAULT 'working',
  last_accessed_at TEXT,
  access_count INTEGER NOT NULL DEFAULT 0,
  archived_path TEXT,
  retired_at TEXT,
  retired_reason TEXT,
  superseded_by TEXT
)`;

/**
 * Our own tables (schema 2). Provenance keeps where each captured lesson came from, so a digest can link
 * its evidence; captured_prs records every captured PR, lessons or not, so catch-up knows what is missing.
 */
const CREATE_CAPTURE_TABLES = [
  `CREATE TABLE IF NOT EXISTS lesson_provenance (
    lesson_id TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    pr_number INTEGER,
    pr_url TEXT,
    comment_url TEXT,
    comment_author TEXT,
    comment_created_at TEXT,
    captured_at TEXT NOT NULL,
    reason TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  )`,
  `CREATE TABLE IF NOT EXISTS captured_prs (
    project TEXT NOT NULL,
    pr_number INTEGER NOT NULL,
    merged_at TEXT,
    first_captured_at TEXT NOT NULL,
    PRIMARY KEY (project, pr_number)
  )`,
];

const CREATE_INDEXES = [
  'CREATE INDEX IF NOT EXISTS idx_lessons_project_ts ON lessons (project, ts DESC)',
  'CREATE INDEX IF NOT EXISTS idx_lessons_project_type ON lessons (project, type)',
  'CREATE INDEX IF NOT EXISTS idx_lessons_project_key_type ON lessons (project, key, type)',
];

/** Columns an older lessons table may lack, and how to add them without losing rows. */
const ADDABLE_COLUMNS: Record<string, string> = {
  skill: 'TEXT',
  trusted: 'INTEGER NOT NULL DEFAULT 0',
  files: "TEXT NOT NULL DEFAULT '[]'",
  handover_id: 'TEXT',
  retrospective_id: 'TEXT',
  retro_pr: 'INTEGER',
  device: 'TEXT',
  agent_type: "TEXT NOT NULL DEFAULT 'claude'",
  source_bot: 'TEXT',
  tags: "TEXT NOT NULL DEFAULT '[]'",
  tier: "TEXT NOT NULL DEFAULT 'working'",
  last_accessed_at: 'TEXT',
  access_count: 'INTEGER NOT NULL DEFAULT 0',
  archived_path: 'TEXT',
  retired_at: 'TEXT',
  retired_reason: 'TEXT',
  superseded_by: 'TEXT',
};

export class LessonsDbError extends Error {
  override name = 'LessonsDbError';
}

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

export interface ListOptions {
  project?: string | null;
  limit?: number | null;
  includeRetired?: boolean;
  /** Told about each row that was repaired or skipped; without it such a row is an error. */
  onBadRow?: (message: string) => void;
}

export class LessonsStore {
  private depth = 0;

  private constructor(private readonly db: Database) {}

  /**
   * Opens a database from bytes (empty or absent: a new database). `label` names the source in errors.
   * Refuses bytes that are not SQLite, or a SQLite database with tables but no lessons table.
   */
  static async open(bytes: Uint8Array | null, label: string): Promise<LessonsStore> {
    const SQL = await loadSqlJs();
    const fresh = bytes === null || bytes.length === 0;
    if (!fresh) {
      const header = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
      if (header !== SQLITE_HEADER) throw new LessonsDbError(`${label} is not a SQLite database`);
    }
    const db = fresh ? new SQL.Database() : new SQL.Database(bytes);
    try {
      const store = new LessonsStore(db);
      store.migrate(label);
      return store;
    } catch (err) {
      db.close();
      if (err instanceof LessonsDbError) throw err;
      throw new LessonsDbError(`${label} cannot be read as a lessons database: ${(err as Error).message}`);
    }
  }

  private tableNames(): string[] {
    return this.db
      .exec("SELECT name FROM sqlite_master WHERE type = 'table'")
      .flatMap((r) => r.values.map((v) => String(v[0])));
  }

  private columnsOf(table: string): Set<string> {
    return new Set(this.db.exec(`PRAGMA table_info(${table})`).flatMap((r) => r.values.map((v) => String(v[1]))));
  }

  private migrate(label: string): void {
    const tables = this.tableNames();
    const ownTables = tables.filter((t) => !t.startsWith('sqlite_'));
    if (ownTables.length > 0 && !tables.includes('lessons')) {
      throw new LessonsDbError(`${label} is a SQLite database without a lessons table; refusing to use it`);
    }
    const stored = this.schemaVersion();
    if (stored !== null && stored > SCHEMA_VERSION) {
      throw new LessonsDbError(
        `${label} has schema version ${stored}, newer than this Mycelium understands (${SCHEMA_VERSION}); upgrade Mycelium`,
      );
    }
    this.db.run('BEGIN');
    try {
      if (tables.includes('lessons')) {
        const have = this.columnsOf('lessons');
        for (const required of ['id', 'ts', 'project', 'type', 'key', 'insight', 'confidence', 'source']) {
          if (!have.has(required)) throw new LessonsDbError(`${label}: the lessons table has no '${required}' column`);
        }
        for (const [column, decl] of Object.entries(ADDABLE_COLUMNS)) {
          if (!have.has(column)) this.db.run(`ALTER TABLE lessons ADD COLUMN ${column} ${decl}`);
        }
      } else {
        this.db.run(CREATE_LESSONS);
      }
      for (const sql of CREATE_INDEXES) this.db.run(sql);
      for (const sql of CREATE_CAPTURE_TABLES) this.db.run(sql);
      this.db.run('CREATE TABLE IF NOT EXISTS mycelium_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      // Written only when it changes: a database opened as it is counts no changes (see changesSinceOpen),
      // and any migration, which always changes the version, counts at least one.
      if (stored !== SCHEMA_VERSION) {
        this.db.run("INSERT OR REPLACE INTO mycelium_meta (key, value) VALUES ('schema_version', ?)", [String(SCHEMA_VERSION)]);
      }
      this.db.run('COMMIT');
    } catch (err) {
      this.db.run('ROLLBACK');
      throw err;
    }
  }

  private schemaVersion(): number | null {
    if (!this.tableNames().includes('mycelium_meta')) return null;
    const rows = this.db.exec("SELECT value FROM mycelium_meta WHERE key = 'schema_version'");
    const v = rows[0]?.values[0]?.[0];
    return v === undefined ? null : Number(v);
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
   * the order of `ORDER BY ts DESC, rowid ASC`. The rows are sorted here rather than by SQLite, whose sort
   * of a million wide rows takes seconds and hundreds of megabytes of its own.
   */
  *harvestRows(project?: string | null): Generator<HarvestRow> {
    const where = project ? 'WHERE retired_at IS NULL AND project = ?' : 'WHERE retired_at IS NULL';
    const stmt = this.db.prepare(
      `SELECT rowid, id, ts, project, skill, type, key, insight, confidence, retro_pr, tags FROM lessons ${where}`,
    );
    // Buffered by column (no object per row until it is yielded), then sorted by (ts desc, rowid asc).
    // Sized from a count first: arrays that grow row by row leave their old copies behind as garbage.
    const counted = this.db.exec(`SELECT count(*) FROM lessons ${where}`, project ? [project] : []);
    const expected = Number(counted[0]?.values[0]?.[0] ?? 0);
    const rowids: number[] = new Array<number>(expected);
    const cols: SqlValue[][] = Array.from({ length: 10 }, () => new Array<SqlValue>(expected));
    let count = 0;
    // Columns with few distinct values (project, skill, type, tags) share one string per value instead
    // of a fresh copy per row: a million rows hold tens of megabytes less.
    const interned = new Map<string, string>();
    const intern = (v: SqlValue | undefined): SqlValue => {
      if (typeof v !== 'string' || v.length > 64) return v ?? null;
      const seen = interned.get(v);
      if (seen !== undefined) return seen;
      if (interned.size < 100_000) interned.set(v, v);
      return v;
    };
    const [id, ts, proj, skill, type, key, insight, confidence, retroPr, tags] = cols as [
      SqlValue[], SqlValue[], SqlValue[], SqlValue[], SqlValue[], SqlValue[], SqlValue[], SqlValue[], SqlValue[], SqlValue[],
    ];
    try {
      if (project) stmt.bind([project]);
      while (stmt.step()) {
        const v = stmt.get();
        const i = count++;
        rowids[i] = v[0] as number;
        id[i] = v[1]!;
        ts[i] = v[2]!;
        proj[i] = intern(v[3]);
        skill[i] = intern(v[4]);
        type[i] = intern(v[5]);
        key[i] = v[6]!;
        insight[i] = v[7]!;
        confidence[i] = v[8]!;
        retroPr[i] = v[9]!;
        tags[i] = intern(v[10]);
      }
    } finally {
      stmt.free();
    }
    interned.clear();
    const order = Array.from({ length: count }, (_, i) => i);
    order.sort((a, b) => compareSqlValues(ts[b]!, ts[a]!) || rowids[a]! - rowids[b]!);
    rowids.length = 0;
    for (const i of order) {
      const row: HarvestRow = {
        id: id[i] as string,
        ts: ts[i] as string,
        project: proj[i] as string,
        skill: skill[i] as string | null,
        type: type[i] as string,
        key: key[i] as string,
        insight: insight[i] as string,
        confidence: confidence[i] as number,
        retro_pr: retroPr[i] as number | null,
        tags: tags[i] as string | null,
        retired_at: null, // the WHERE clause
      };
      for (const col of cols) col[i] = null; // the consumer keeps what it needs
      yield row;
    }
  }

  /** Full rows, validated; a row that does not validate is an error naming its id. */
  listLessons(opts: ListOptions = {}): StoredLesson[] {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    if (!opts.includeRetired) clauses.push('retired_at IS NULL');
    if (opts.project) {
      clauses.push('project = ?');
      params.push(opts.project);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const limit = opts.limit ? `LIMIT ${Math.floor(opts.limit)}` : '';
    const stmt = this.db.prepare(
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

  hasLesson(id: string): boolean {
    return (this.db.exec('SELECT 1 FROM lessons WHERE id = ? LIMIT 1', [id])[0]?.values.length ?? 0) > 0;
  }

  getLesson(id: string): StoredLesson | null {
    const stmt = this.db.prepare(`SELECT ${LESSON_COLUMNS.join(', ')} FROM lessons WHERE id = ?`);
    try {
      stmt.bind([id]);
      if (!stmt.step()) return null;
      return StoredLessonRowSchema.parse(stmt.getAsObject());
    } finally {
      stmt.free();
    }
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
    const out: ExistingLesson[] = [];
    const stmt = this.db.prepare(
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
  recordCapture(capture: PrCapture): string[] {
    const lessons = capture.lessons.map((c) => ({ lesson: toLesson(c.lesson), provenance: c.provenance }));
    const placeholders = LESSON_COLUMNS.map(() => '?').join(', ');
    return this.transaction(() => {
      const inserted: string[] = [];
      const insert = this.db.prepare(
        `INSERT INTO lessons (${LESSON_COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT(id) DO NOTHING`,
      );
      try {
        for (const { lesson, provenance } of lessons) {
          insert.run(LESSON_COLUMNS.map((c) => toSqlValue(lesson[c])));
          if (this.db.getRowsModified() === 0) continue;
          inserted.push(lesson.id);
          const { lesson_id, project, pr_number, pr_url, comment_url, comment_author, comment_created_at, captured_at, reason, ...detail } =
            provenance;
          this.db.run(
            `INSERT OR IGNORE INTO lesson_provenance
             (lesson_id, project, pr_number, pr_url, comment_url, comment_author, comment_created_at, captured_at, reason, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [lesson_id, project, pr_number, pr_url, comment_url, comment_author, comment_created_at, captured_at, reason, JSON.stringify(detail)],
          );
          for (const earlier of provenance.recurrence_from) {
            this.db.run('UPDATE lessons SET access_count = access_count + 1, last_accessed_at = ? WHERE id = ?', [
              captured_at,
              earlier,
            ]);
          }
        }
      } finally {
        insert.free();
      }
      this.db.run(
        'INSERT OR IGNORE INTO captured_prs (project, pr_number, merged_at, first_captured_at) VALUES (?, ?, ?, ?)',
        [capture.project, capture.prNumber, capture.mergedAt, capture.capturedAt],
      );
      return inserted;
    });
  }

  capturedPrNumbers(project: string): Set<number> {
    const rows = this.db.exec('SELECT pr_number FROM captured_prs WHERE project = ?', [project]);
    return new Set(rows.flatMap((r) => r.values.map((v) => Number(v[0]))));
  }

  provenanceFor(ids: readonly string[]): Map<string, ProvenanceRow> {
    const out = new Map<string, ProvenanceRow>();
    const stmt = this.db.prepare(
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

  /** Counts a lesson's appearance in a posted digest (tiers promote lessons that keep being used). */
  touchLessons(ids: readonly string[], when: string): void {
    this.transaction(() => {
      for (const id of ids) {
        this.db.run('UPDATE lessons SET access_count = access_count + 1, last_accessed_at = ? WHERE id = ?', [when, id]);
      }
    });
  }

  export(): Uint8Array {
    return this.db.export();
  }

  close(): void {
    this.db.close();
  }
}

const STORAGE_CLASS_RANK = (v: SqlValue): number =>
  v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : 3;

/**
 * SQLite's ordering of two values under the BINARY collation: NULL < numbers < text < blobs; text by its
 * UTF-8 bytes (code point order, which differs from JavaScript's UTF-16 order only above U+FFFF), blobs
 * by their bytes.
 */
export function compareSqlValues(a: SqlValue, b: SqlValue): number {
  const ra = STORAGE_CLASS_RANK(a);
  const rb = STORAGE_CLASS_RANK(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number) || 0;
  if (typeof a === 'string') return compareUtf8(a, b as string);
  if (a === null) return 0;
  const x = a;
  const y = b as Uint8Array;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate stands for a code point above U+FFFF, which UTF-8 orders after U+E000..U+FFFF.
      if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
      if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
      return x - y;
    }
  }
  return a.length - b.length;
}

function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}
