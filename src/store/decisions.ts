/**
 * The team's decisions in the database (schema 3): `mycelium_decisions`, one row per accept/reject/retire,
 * and `mycelium_feedback`, a small key/value table for the rest of the decision state (handled comment ids,
 * rule ids written per file, each digest's numbering). Read and written as a whole DecisionState
 * (core/conventionsDecisions.ts), merged with the copy on the state branch by the caller.
 */
import type { Database } from 'sql.js';
import {
  DecisionSchema,
  DecisionStateSchema,
  emptyDecisionState,
  type DecisionState,
} from '../core/conventionsDecisions.js';
import type { TableSpec } from './schema.js';

export const CREATE_DECISION_TABLES = [
  `CREATE TABLE IF NOT EXISTS mycelium_decisions (
    subject TEXT NOT NULL,
    decision TEXT NOT NULL,
    lesson_ids TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL DEFAULT '',
    by_login TEXT NOT NULL,
    at TEXT NOT NULL,
    comment_url TEXT,
    title TEXT,
    rule TEXT,
    prs TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (decision, subject, at, by_login)
  )`,
  'CREATE TABLE IF NOT EXISTS mycelium_feedback (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
];

const text = (name: string, notNull = false, fallback?: string) => ({ name, kind: 'text' as const, notNull, ...(fallback !== undefined ? { fallback } : {}) });

/** The same facts as the DDL, for checking a loaded file (store/schema.ts lists them with the others). */
export const DECISION_TABLE_SPECS: readonly TableSpec[] = [
  {
    name: 'mycelium_decisions',
    columns: [
      text('subject', true),
      text('decision', true),
      text('lesson_ids', true, '[]'),
      text('reason', true, ''),
      text('by_login', true),
      text('at', true),
      text('comment_url'),
      text('title'),
      text('rule'),
      text('prs', true, '[]'),
    ],
    tableConstraints: ['primary key ( decision , subject , at , by_login )'],
    checks: {},
  },
  {
    name: 'mycelium_feedback',
    columns: [{ ...text('key', false), primaryKey: true }, text('value', true)],
    tableConstraints: [],
    checks: {},
  },
];

function hasTable(db: Database, name: string): boolean {
  return (db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])[0]?.values.length ?? 0) > 0;
}

function json(value: unknown, fallback: unknown): unknown {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value);
  } catch {
    return fallback;
  }
}

/** The decision state the database holds; rows that do not validate are skipped (and counted in `skipped`). */
export function readDecisionState(db: Database): { state: DecisionState; skipped: number } {
  if (!hasTable(db, 'mycelium_decisions')) return { state: emptyDecisionState(), skipped: 0 };
  const raw: Record<string, unknown> = { version: 1, decisions: [] as unknown[] };
  const rows = db.exec('SELECT subject, decision, lesson_ids, reason, by_login, at, comment_url, title, rule, prs FROM mycelium_decisions ORDER BY at, rowid');
  const decisions: unknown[] = [];
  for (const v of rows[0]?.values ?? []) {
    decisions.push({
      subject: v[0],
      decision: v[1],
      lesson_ids: json(v[2], []),
      reason: v[3] ?? '',
      by: v[4],
      at: v[5],
      comment_url: v[6] ?? null,
      title: v[7] ?? null,
      rule: v[8] ?? null,
      prs: json(v[9], []),
    });
  }
  const kv = new Map<string, unknown>();
  if (hasTable(db, 'mycelium_feedback')) {
    for (const v of db.exec('SELECT key, value FROM mycelium_feedback')[0]?.values ?? []) kv.set(String(v[0]), json(v[1], undefined));
  }
  let skipped = 0;
  const valid = decisions.filter((d) => {
    const ok = DecisionSchema.safeParse(d).success;
    if (!ok) skipped++;
    return ok;
  });
  raw.decisions = valid;
  for (const key of ['processed_comments', 'written', 'digests'] as const) if (kv.get(key) !== undefined) raw[key] = kv.get(key);
  const parsed = DecisionStateSchema.safeParse(raw);
  if (parsed.success) return { state: parsed.data, skipped };
  // The key/value part is broken: keep the decisions, drop the rest.
  return { state: { ...emptyDecisionState(), decisions: DecisionStateSchema.parse({ version: 1, decisions: valid }).decisions }, skipped: skipped + 1 };
}

/** Writes `state` (the whole of it: callers merge first). One transaction. */
export function writeDecisionState(db: Database, state: DecisionState): void {
  db.run('SAVEPOINT decisions');
  try {
    for (const sql of CREATE_DECISION_TABLES) db.run(sql);
    const insert = db.prepare(
      `INSERT OR IGNORE INTO mycelium_decisions (subject, decision, lesson_ids, reason, by_login, at, comment_url, title, rule, prs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    try {
      for (const d of state.decisions) {
        insert.run([d.subject, d.decision, JSON.stringify(d.lesson_ids), d.reason, d.by, d.at, d.comment_url, d.title, d.rule, JSON.stringify(d.prs)]);
      }
    } finally {
      insert.free();
    }
    const put = (key: string, value: unknown): void => {
      const v = JSON.stringify(value);
      const cur = db.exec('SELECT value FROM mycelium_feedback WHERE key = ?', [key])[0]?.values[0]?.[0];
      if (cur !== v) db.run('INSERT OR REPLACE INTO mycelium_feedback (key, value) VALUES (?, ?)', [key, v]);
    };
    put('processed_comments', state.processed_comments);
    put('written', state.written);
    put('digests', state.digests);
    db.run('RELEASE decisions');
  } catch (err) {
    db.run('ROLLBACK TO decisions');
    db.run('RELEASE decisions');
    throw err;
  }
}

/** Sets `retired_at` on the given active lessons; returns the ids that were active and are retired now. */
export function retireLessons(db: Database, ids: readonly string[], at: string, reason: string): string[] {
  const done: string[] = [];
  for (const id of ids) {
    db.run('UPDATE lessons SET retired_at = ?, retired_reason = ? WHERE id = ? AND retired_at IS NULL', [at, reason || 'retired by the team', id]);
    if (db.getRowsModified() > 0) done.push(id);
  }
  return done;
}
