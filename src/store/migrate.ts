/**
 * Brings a lessons database (already checked to hold only our schema, see store/inspect.ts) up to
 * {@link SCHEMA_VERSION}: adds the lessons columns an older table lacks, our indexes and our tables.
 */
import type { Database } from 'sql.js';
import {
  ADDABLE_COLUMNS,
  OWN_TABLE_DDL,
  CREATE_INDEXES,
  CREATE_LESSONS,
  CREATE_META,
  REQUIRED_LESSON_COLUMNS,
  SCHEMA_VERSION,
} from './schema.js';

export class LessonsDbError extends Error {
  override name = 'LessonsDbError';
}

export function tableNames(db: Database): string[] {
  return db.exec("SELECT name FROM sqlite_master WHERE type = 'table'").flatMap((r) => r.values.map((v) => String(v[0])));
}

function columnsOf(db: Database, table: string): Set<string> {
  return new Set(db.exec(`PRAGMA table_info(${table})`).flatMap((r) => r.values.map((v) => String(v[1]))));
}

/** The schema version our meta table records, or null (a mycelium database, or a new one). */
export function storedSchemaVersion(db: Database): number | null {
  if (!tableNames(db).includes('mycelium_meta')) return null;
  const rows = db.exec("SELECT value FROM mycelium_meta WHERE key = 'schema_version'");
  const v = rows[0]?.values[0]?.[0];
  return v === undefined || v === null ? null : Number(v);
}

/** Refuses a database written by a newer Mycelium: we would not know what its tables mean. */
export function assertSchemaNotNewer(db: Database, label: string): number | null {
  const stored = storedSchemaVersion(db);
  if (stored !== null && stored > SCHEMA_VERSION) {
    throw new LessonsDbError(
      `${label} has schema version ${stored}, newer than this Mycelium understands (${SCHEMA_VERSION}); upgrade Mycelium`,
    );
  }
  return stored;
}

export function migrate(db: Database, label: string): void {
  const tables = tableNames(db);
  const ownTables = tables.filter((t) => !t.startsWith('sqlite_'));
  if (ownTables.length > 0 && !tables.includes('lessons')) {
    throw new LessonsDbError(`${label} is a SQLite database without a lessons table; refusing to use it`);
  }
  const stored = assertSchemaNotNewer(db, label);
  db.run('BEGIN');
  try {
    if (tables.includes('lessons')) {
      const have = columnsOf(db, 'lessons');
      for (const required of REQUIRED_LESSON_COLUMNS) {
        if (!have.has(required)) throw new LessonsDbError(`${label}: the lessons table has no '${required}' column`);
      }
      for (const [column, decl] of Object.entries(ADDABLE_COLUMNS)) {
        if (!have.has(column)) db.run(`ALTER TABLE lessons ADD COLUMN ${column} ${decl}`);
      }
    } else {
      db.run(CREATE_LESSONS);
    }
    for (const sql of CREATE_INDEXES) db.run(sql);
    for (const sql of OWN_TABLE_DDL) db.run(sql);
    db.run(CREATE_META);
    // Written only when it changes: a database opened as it is counts no changes (see changesSinceOpen),
    // and any migration, which always changes the version, counts at least one.
    if (stored !== SCHEMA_VERSION) {
      db.run("INSERT OR REPLACE INTO mycelium_meta (key, value) VALUES ('schema_version', ?)", [String(SCHEMA_VERSION)]);
    }
    db.run('COMMIT');
  } catch (err) {
    db.run('ROLLBACK');
    throw err;
  }
}
