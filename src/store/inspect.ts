/**
 * Reads what a loaded database file defines, without running any of it, and tells whether it is exactly a
 * lessons database (mycelium's table and ours) or holds things we must not keep (SPEC §5: a loaded database
 * is data, never code).
 *
 * What SQLite does with a file's schema: opening parses every `sqlite_master` entry into its own schema
 * objects, but evaluates nothing. Code in the file runs later: triggers fire on our INSERT/UPDATE; CHECK
 * constraints, expression and partial indexes and DEFAULT expressions are evaluated on insert; generated
 * columns are computed when a row is read; views run when selected; a collation or a UNIQUE constraint
 * changes what our writes do. So here we only read `sqlite_master` and `PRAGMA table_xinfo` (which computes
 * nothing) and compare the stored CREATE statements with ours token by token (store/sqlText.ts). Anything
 * that is not ours (or mycelium's) is reported, and the store rebuilds the file as data (store/rebuild.ts).
 */
import type { Database } from 'sql.js';
import { HARMLESS_INTERNAL_TABLES, REQUIRED_LESSON_COLUMNS, tableSpec, type ColumnSpec, type TableSpec } from './schema.js';
import { joinTokens, parseCreateIndex, parseCreateTable, type Token } from './sqlText.js';

export interface SchemaObject {
  type: string;
  name: string;
  tableName: string;
  sql: string | null;
}

/** A known table found in the file, and which of our columns it can give plain stored values for. */
export interface FoundTable {
  spec: TableSpec;
  /** Known, stored (not generated) columns present in the file, lower-cased. */
  readable: Set<string>;
  /** True when its CREATE statement is exactly one we (or mycelium) write. */
  ours: boolean;
}

export interface Inspection {
  /** Known tables that are ordinary tables (copyable), by name. */
  tables: Map<string, FoundTable>;
  /** One phrase per thing the file holds that our schema does not define ("trigger \"x\"", …). */
  foreign: string[];
  /** Why the file cannot be used at all, if so. */
  refusal: string | null;
}

export function readSchemaObjects(db: Database): SchemaObject[] {
  const rows = db.exec('SELECT type, name, tbl_name, sql FROM sqlite_master')[0]?.values ?? [];
  return rows.map((r) => ({
    type: String(r[0]),
    name: String(r[1]),
    tableName: String(r[2]),
    sql: r[3] === null || r[3] === undefined ? null : String(r[3]),
  }));
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Columns as SQLite sees them: name and whether it is stored (generated columns are hidden 2 or 3). */
function columnsOf(db: Database, table: string): { name: string; stored: boolean }[] {
  const rows = db.exec(`PRAGMA table_xinfo(${quote(table)})`)[0]?.values ?? [];
  return rows.map((r) => ({ name: String(r[1]).toLowerCase(), stored: Number(r[6] ?? 0) === 0 }));
}

/**
 * True when `def` (one column definition, as tokens) is the column as we or mycelium declare it: its type,
 * then only NOT NULL, PRIMARY KEY (where it is the key), a literal DEFAULT, and a CHECK we write ourselves.
 */
function isOurColumnDefinition(def: readonly Token[], spec: ColumnSpec, checks: readonly string[]): boolean {
  if (def[1]?.kind !== 'ident' || def[1].text !== spec.kind) return false;
  let i = 2;
  while (i < def.length) {
    const t = def[i]!.text;
    if (t === 'not' && def[i + 1]?.text === 'null') {
      i += 2;
    } else if (t === 'primary' && def[i + 1]?.text === 'key' && spec.primaryKey) {
      i += 2;
    } else if (t === 'default') {
      let v = i + 1;
      if (def[v]?.text === '-') v++;
      const literal = def[v];
      if (!literal || (literal.kind !== 'string' && literal.kind !== 'number')) return false;
      i = v + 1;
    } else if (t === 'check' && def[i + 1]?.text === '(') {
      let depth = 0;
      let end = i + 1;
      for (; end < def.length; end++) {
        if (def[end]!.text === '(') depth++;
        if (def[end]!.text === ')' && --depth === 0) break;
      }
      if (!checks.includes(joinTokens(def.slice(i + 2, end)))) return false;
      i = end + 1;
    } else {
      return false;
    }
  }
  return true;
}

const TABLE_CONSTRAINT_START = new Set(['primary', 'unique', 'check', 'foreign', 'constraint']);

/** Compares a known table's stored CREATE TABLE with ours; returns phrases for what differs. */
function compareTable(spec: TableSpec, sql: string | null): { ours: boolean; differences: string[] } {
  const parsed = sql ? parseCreateTable(sql) : null;
  if (!parsed) return { ours: false, differences: [`table "${spec.name}" is not an ordinary table`] };
  const differences: string[] = [];
  if (parsed.trailing.length) differences.push(`table "${spec.name}" is declared ${joinTokens(parsed.trailing).toUpperCase()}`);
  for (const part of parsed.parts) {
    const first = part[0];
    if (!first) continue;
    if (TABLE_CONSTRAINT_START.has(first.text) && first.kind === 'ident' && !spec.columns.some((c) => c.name === first.text)) {
      if (!spec.tableConstraints.includes(joinTokens(part))) differences.push(`a constraint on table "${spec.name}" (${clip(joinTokens(part))})`);
      continue;
    }
    const column = spec.columns.find((c) => c.name === first.text);
    if (!column) {
      differences.push(`column ${spec.name}.${first.text}`);
      continue;
    }
    if (!isOurColumnDefinition(part, column, spec.checks[column.name] ?? [])) {
      differences.push(`the definition of ${spec.name}.${column.name} (${clip(joinTokens(part))})`);
    }
  }
  return { ours: differences.length === 0, differences };
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An index we keep: the primary key's own, or a plain (not UNIQUE, not partial) index on known columns. */
function isOurIndex(object: SchemaObject, tables: Map<string, FoundTable>): boolean {
  const table = tables.get(object.tableName.toLowerCase());
  if (!table) return false;
  if (object.sql === null) return object.name.toLowerCase().startsWith(`sqlite_autoindex_${table.spec.name}_`);
  const index = parseCreateIndex(object.sql);
  if (!index || index.unique || index.trailing.length || index.table !== table.spec.name) return false;
  return index.terms.every(
    (term) =>
      term[0]?.kind === 'ident' &&
      table.spec.columns.some((c) => c.name === term[0]!.text) &&
      (term.length === 1 || (term.length === 2 && (term[1]!.text === 'asc' || term[1]!.text === 'desc'))),
  );
}

/** What the file defines, compared with our schema. Runs no SQL of the file's own. */
export function inspectDatabase(db: Database): Inspection {
  const objects = readSchemaObjects(db);
  const tables = new Map<string, FoundTable>();
  const foreign: string[] = [];
  let refusal: string | null = null;
  const userObjects = objects.filter((o) => !o.name.toLowerCase().startsWith('sqlite_'));

  for (const object of objects.filter((o) => o.type === 'table')) {
    const name = object.name.toLowerCase();
    const spec = tableSpec(name);
    if (HARMLESS_INTERNAL_TABLES.has(name)) continue;
    if (!spec) {
      foreign.push(`table "${object.name}"`);
      continue;
    }
    const { ours, differences } = compareTable(spec, object.sql);
    const ordinary = object.sql !== null && parseCreateTable(object.sql) !== null;
    if (!ordinary) {
      if (name === 'lessons') refusal = 'its lessons table is not an ordinary table';
      foreign.push(...differences);
      continue;
    }
    const columns = columnsOf(db, object.name);
    const readable = new Set(columns.filter((c) => c.stored && spec.columns.some((s) => s.name === c.name)).map((c) => c.name));
    const generated = columns.filter((c) => !c.stored).map((c) => `generated column ${spec.name}.${c.name}`);
    // A generated column's text already differs from ours; xinfo is the second opinion.
    foreign.push(...differences, ...(differences.length ? [] : generated));
    tables.set(name, { spec, readable, ours: ours && generated.length === 0 });
  }

  for (const object of objects) {
    if (object.type === 'index') {
      if (!isOurIndex(object, tables)) foreign.push(`index "${object.name}"`);
    } else if (object.type === 'view' || object.type === 'trigger') {
      foreign.push(`${object.type} "${object.name}"`);
    } else if (object.type !== 'table') {
      foreign.push(`${object.type} "${object.name}"`);
    }
  }

  const lessons = tables.get('lessons');
  if (!refusal && userObjects.length > 0 && !lessons) refusal = 'it is a SQLite database without a lessons table';
  if (!refusal && lessons) {
    const missing = REQUIRED_LESSON_COLUMNS.filter((c) => !lessons.readable.has(c));
    if (missing.length) refusal = `the lessons table has no '${missing[0]}' column${missing.length > 1 ? ` (nor '${missing.slice(1).join("', '")}')` : ''}`;
  }
  return { tables, foreign, refusal };
}
