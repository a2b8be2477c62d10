/**
 * Rebuilds a loaded database as data only: a new database with our schema (store/schema.ts), into which
 * the known columns of the known tables are copied value by value, each checked against its column's type.
 * Nothing of the file's own SQL (triggers, views, CHECK or index expressions, defaults, collations) is ever
 * executed: the source is only SELECTed column by column, and every write goes to tables we created.
 */
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import type { FoundTable, Inspection } from './inspect.js';
import { CREATE_INDEXES, CREATE_LESSONS, CREATE_META, OWN_TABLE_DDL, type ColumnSpec } from './schema.js';

type Coerced = { ok: true; value: SqlValue } | { ok: false; why: string };

const CANONICAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function describeValue(value: SqlValue): string {
  if (value instanceof Uint8Array) return `a ${value.length}-byte blob`;
  if (typeof value === 'string') return `text '${value.length > 20 ? `${value.slice(0, 19)}…` : value}'`;
  return `the number ${String(value)}`;
}

/** The value as the column's type when that loses nothing; otherwise why the row cannot be kept. */
export function coerceValue(value: SqlValue | undefined, column: ColumnSpec): Coerced {
  if (value === null || value === undefined) {
    if (column.fallback !== undefined) return { ok: true, value: column.fallback };
    if (column.notNull || column.primaryKey) return { ok: false, why: `${column.name} is missing` };
    return { ok: true, value: null };
  }
  if (column.kind === 'text') {
    if (typeof value === 'string') return { ok: true, value };
    if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
    if (value instanceof Uint8Array) {
      try {
        return { ok: true, value: utf8.decode(value) };
      } catch {
        /* not text */
      }
    }
    return { ok: false, why: `${column.name} holds ${describeValue(value)}, not text` };
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
  if (typeof value === 'string' && CANONICAL_INTEGER.test(value) && Number.isSafeInteger(Number(value))) return { ok: true, value: Number(value) };
  return { ok: false, why: `${column.name} holds ${describeValue(value)}, not an integer` };
}

export interface TableCopy {
  table: string;
  kept: number;
  /** Rows left out, with the first few reasons. */
  skipped: number;
  examples: string[];
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function copyTable(source: Database, target: Database, found: FoundTable): TableCopy {
  const { spec, readable } = found;
  const sourceColumns = spec.columns.filter((c) => readable.has(c.name));
  const columnList = sourceColumns.map((c) => quote(c.name)).join(', ');
  const copy: TableCopy = { table: spec.name, kept: 0, skipped: 0, examples: [] };
  const insert = target.prepare(
    `INSERT INTO ${spec.name} (${spec.columns.map((c) => c.name).join(', ')}) VALUES (${spec.columns.map(() => '?').join(', ')})`,
  );
  // In stored order, so lessons keep their insertion order (ties of `ORDER BY ts DESC` are broken by rowid).
  let read;
  try {
    read = source.prepare(`SELECT ${columnList} FROM ${quote(spec.name)} ORDER BY rowid`);
  } catch {
    read = source.prepare(`SELECT ${columnList} FROM ${quote(spec.name)}`); // a WITHOUT ROWID table
  }
  const skip = (why: string) => {
    copy.skipped++;
    if (copy.examples.length < 3) copy.examples.push(why);
  };
  try {
    while (read.step()) {
      const row = read.get();
      const byName = new Map(sourceColumns.map((c, i) => [c.name, row[i]]));
      const values: SqlValue[] = [];
      let problem: string | null = null;
      for (const column of spec.columns) {
        const coerced = coerceValue(byName.get(column.name), column);
        if (!coerced.ok) {
          problem = coerced.why;
          break;
        }
        values.push(coerced.value);
      }
      const label = spec.columns[0]!.primaryKey ? `${spec.name} row "${String(row[0])}"` : `a ${spec.name} row`;
      if (problem) {
        skip(`${label}: ${problem}`);
        continue;
      }
      try {
        insert.run(values);
        copy.kept++;
      } catch (err) {
        // Our own CHECK constraints and keys: a value out of range, or a second row with the same key.
        skip(`${label}: ${(err as Error).message}`);
      }
    }
  } finally {
    read.free();
    insert.free();
  }
  return copy;
}

export interface Rebuilt {
  db: Database;
  copies: TableCopy[];
}

/** A new database with our schema holding the file's known, well-typed values; the source is left as it was. */
export function rebuildAsData(SQL: SqlJsStatic, source: Database, inspection: Inspection): Rebuilt {
  const target = new SQL.Database();
  try {
    target.run('BEGIN');
    for (const sql of [CREATE_LESSONS, ...OWN_TABLE_DDL, CREATE_META, ...CREATE_INDEXES]) target.run(sql);
    const copies: TableCopy[] = [];
    for (const found of inspection.tables.values()) copies.push(copyTable(source, target, found));
    // mycelium keeps its own schema version in user_version: carry it over, it is a plain integer.
    const userVersion = Number(source.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
    if (Number.isSafeInteger(userVersion) && userVersion !== 0) target.run(`PRAGMA user_version = ${userVersion}`);
    target.run('COMMIT');
    return { db: target, copies };
  } catch (err) {
    target.close();
    throw err;
  }
}

/** The one line that says what a rebuild dropped and what it kept. */
export function describeRebuild(label: string, inspection: Inspection, copies: readonly TableCopy[]): string {
  const dropped = inspection.foreign.length ? `dropped ${inspection.foreign.join(', ')}` : null;
  const lessons = copies.find((c) => c.table === 'lessons');
  const kept = lessons ? `kept ${lessons.kept} lesson(s)` : 'kept no lessons';
  const skippedRows = copies.filter((c) => c.skipped > 0);
  const skipped = skippedRows.length
    ? `skipped ${skippedRows.map((c) => `${c.skipped} ${c.table} row(s)`).join(', ')} (${skippedRows.flatMap((c) => c.examples).slice(0, 3).join('; ')})`
    : null;
  return `${label} held more than lesson data; rebuilt it as data only: ${[dropped, kept, skipped].filter(Boolean).join('; ')}`;
}
