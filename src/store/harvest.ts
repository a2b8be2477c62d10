/** The rows distill reads, in the order it reads them, with as little memory per row as sql.js allows. */
import type { Database, SqlValue } from 'sql.js';
import type { HarvestRow } from '../core/distill.js';
import { compareSqlValues } from './sqlValues.js';

/**
 * The columns distill needs, active rows only, newest first by stored text (ties in insertion order):
 * the order of `ORDER BY ts DESC, rowid ASC`. The rows are sorted here rather than by SQLite, whose sort
 * of a million wide rows takes seconds and hundreds of megabytes of its own.
 */
export function* harvestRows(
  db: Database,
  project?: string | null,
  warn: ((message: string) => void) | null = null,
): Generator<HarvestRow> {
  const where = project ? 'WHERE retired_at IS NULL AND project = ?' : 'WHERE retired_at IS NULL';
  const stmt = db.prepare(
    `SELECT rowid, id, ts, project, skill, type, key, insight, confidence, retro_pr, tags FROM lessons ${where}`,
  );
  // Buffered by column (no object per row until it is yielded), then sorted by (ts desc, rowid asc).
  // Sized from a count first: arrays that grow row by row leave their old copies behind as garbage.
  const counted = db.exec(`SELECT count(*) FROM lessons ${where}`, project ? [project] : []);
  const expected = Number(counted[0]?.values[0]?.[0] ?? 0);
  const rowids: number[] = new Array<number>(expected);
  const cols: SqlValue[][] = Array.from({ length: 10 }, () => new Array<SqlValue>(expected));
  let count = 0;
  const skipped: string[] = [];
  let skippedCount = 0;
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
      const why = mistyped(v);
      if (why) {
        if (skipped.length < 3) skipped.push(`"${String(v[1])}" (${why})`);
        skippedCount++;
        continue;
      }
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
  if (skippedCount > 0) {
    warn?.(`${skippedCount} lesson row(s) not read: values of the wrong type, e.g. ${skipped.join(', ')}`);
  }
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


const isText = (v: SqlValue | undefined): boolean => typeof v === 'string';
const isTextOrNull = (v: SqlValue | undefined): boolean => v === null || typeof v === 'string';
const isInteger = (v: SqlValue | undefined): boolean => typeof v === 'number' && Number.isInteger(v);

/**
 * Why a harvested row (rowid, id, ts, project, skill, type, key, insight, confidence, retro_pr, tags) cannot be
 * read, or null. A file written by hand can hold, say, text in an INTEGER column; distill must never see it.
 */
function mistyped(v: SqlValue[]): string | null {
  if (!isText(v[1]) || !isText(v[2]) || !isText(v[3]) || !isText(v[5]) || !isText(v[6]) || !isText(v[7])) {
    return 'a text column holds another type';
  }
  if (!isTextOrNull(v[4]) || !isTextOrNull(v[10])) return 'skill or tags is not text';
  if (!isInteger(v[8])) return 'confidence is not an integer';
  if (v[9] !== null && !isInteger(v[9])) return 'retro_pr is not an integer';
  return null;
}
