/**
 * What a lessons database holds, stated once: mycelium's `lessons` table (docs/architecture.md, "The lessons
 * table") and our own tables, as DDL to create them and as column facts to check a loaded file against.
 */
import { CREATE_DECISION_TABLES, DECISION_TABLE_SPECS } from './decisions.js';

/** Bumped by every migration of our own tables; kept in `mycelium_meta`, not `PRAGMA user_version` (mycelium's). */
export const SCHEMA_VERSION = 3; // 3: the team's decisions (store/decisions.ts)

export const SQLITE_HEADER = 'SQLite format 3\u0000';

export const LESSON_COLUMNS = [
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

export const CREATE_LESSONS = `
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
export const CREATE_CAPTURE_TABLES = [
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

export const CREATE_META = 'CREATE TABLE IF NOT EXISTS mycelium_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

export const CREATE_INDEXES = [
  'CREATE INDEX IF NOT EXISTS idx_lessons_project_ts ON lessons (project, ts DESC)',
  'CREATE INDEX IF NOT EXISTS idx_lessons_project_type ON lessons (project, type)',
  'CREATE INDEX IF NOT EXISTS idx_lessons_project_key_type ON lessons (project, key, type)',
];

/** Columns an older lessons table may lack, and how to add them without losing rows. */
export const ADDABLE_COLUMNS: Record<string, string> = {
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

/** The lessons columns a table must have to be read at all (the rest can be added). */
export const REQUIRED_LESSON_COLUMNS = ['id', 'ts', 'project', 'type', 'key', 'insight', 'confidence', 'source'] as const;

// ---------------------------------------------------------------------------------------------
// Column facts, for checking a loaded file (store/inspect.ts) and rebuilding it (store/rebuild.ts)
// ---------------------------------------------------------------------------------------------

export type ColumnKind = 'text' | 'integer';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  notNull: boolean;
  /** The value a missing or NULL cell takes in a NOT NULL column that has a default. */
  fallback?: string | number;
  primaryKey?: boolean;
}

const text = (name: string, notNull = false, fallback?: string): ColumnSpec => ({
  name,
  kind: 'text',
  notNull,
  ...(fallback !== undefined ? { fallback } : {}),
});
const integer = (name: string, notNull = false, fallback?: number): ColumnSpec => ({
  name,
  kind: 'integer',
  notNull,
  ...(fallback !== undefined ? { fallback } : {}),
});

/**
 * Every table a lessons database may hold, with its columns in order (the same facts as the DDL above; a
 * test checks one against the other). Allowed CHECK constraints are mycelium's and ours, written out.
 */
export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  /** Table constraints allowed besides column definitions (normalised, see store/sqlText.ts). */
  tableConstraints: string[];
  /** CHECK clauses a column may carry (normalised inner expression), by column. */
  checks: Record<string, string[]>;
}

export const TABLES: readonly TableSpec[] = [
  {
    name: 'lessons',
    columns: [
      { ...text('id', false), primaryKey: true },
      text('ts', true),
      text('project', true),
      text('skill'),
      text('type', true),
      text('key', true),
      text('insight', true),
      integer('confidence', true),
      text('source', true),
      integer('trusted', true, 0),
      text('files', true, '[]'),
      text('handover_id'),
      text('retrospective_id'),
      integer('retro_pr'),
      text('device'),
      text('agent_type', true, 'claude'),
      text('source_bot'),
      text('tags', true, '[]'),
      text('tier', true, 'working'),
      text('last_accessed_at'),
      integer('access_count', true, 0),
      text('archived_path'),
      text('retired_at'),
      text('retired_reason'),
      text('superseded_by'),
    ],
    tableConstraints: [],
    checks: {
      type: ["type in ( 'pattern' , 'pitfall' , 'preference' , 'architecture' , 'tool' , 'operational' , 'investigation' )"],
      insight: ['length ( insight ) >= 10'],
      confidence: ['confidence between 1 and 10'],
      source: ["source in ( 'observed' , 'user-stated' , 'inferred' , 'cross-model' )"],
      // mycelium's own check on keys (no spaces)
      key: ["key glob '*' and key not glob '* *'"],
    },
  },
  {
    name: 'lesson_provenance',
    columns: [
      { ...text('lesson_id', false), primaryKey: true },
      text('project', true),
      integer('pr_number'),
      text('pr_url'),
      text('comment_url'),
      text('comment_author'),
      text('comment_created_at'),
      text('captured_at', true),
      text('reason'),
      text('detail', true, '{}'),
    ],
    tableConstraints: [],
    checks: {},
  },
  {
    name: 'captured_prs',
    columns: [text('project', true), integer('pr_number', true), text('merged_at'), text('first_captured_at', true)],
    tableConstraints: ['primary key ( project , pr_number )'],
    checks: {},
  },
  {
    name: 'mycelium_meta',
    columns: [{ ...text('key', false), primaryKey: true }, text('value', true)],
    tableConstraints: [],
    checks: {},
  },
];

export function tableSpec(name: string): TableSpec | undefined {
  return [...TABLES, ...DECISION_TABLE_SPECS].find((t) => t.name === name.toLowerCase());
}

/** Our own tables (DDL and specs), those of schema 3 and later from their modules. */
export const OWN_TABLE_DDL: readonly string[] = [...CREATE_CAPTURE_TABLES, ...CREATE_DECISION_TABLES];

/** SQLite's own bookkeeping tables that hold no code and that a genuine file may carry (ANALYZE statistics). */
export const HARMLESS_INTERNAL_TABLES = new Set(['sqlite_stat1', 'sqlite_stat4']);
