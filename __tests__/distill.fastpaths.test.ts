import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SqlValue } from 'sql.js';
import { HarvestRowSchema, isHarvestRow, parseHarvestTimestamp } from '../src/core/distill.js';
import { IntList, tokenize, TokenTable } from '../src/core/text.js';
import { parseTimestamp } from '../src/core/time.js';
import { compareSqlValues, LessonsStore } from '../src/store/lessonsStore.js';
import { loadSqlJs } from '../src/store/sqljs.js';

// Distill reads every row of the database, so its hot path replaces general tools with hand-written ones:
// a row check instead of zod, a timestamp parser for the usual form, an interning tokenizer, and a JS sort
// instead of SQLite's. Each must agree exactly with what it replaces.

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const timestampish = fc.oneof(
  // The canonical form and near misses: out-of-range fields, short/long fractions, zones, separators.
  fc
    .tuple(
      digits(4),
      digits(2),
      digits(2),
      fc.constantFrom('T', 't', ' ', 'X'),
      digits(2),
      digits(2),
      digits(2),
      fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 11 }).chain((n) => digits(n).map((d) => `.${d}`)), fc.constant(',5')),
      fc.constantFrom('', 'Z', 'z', '+02:00', '-0530', ' ', 'ZZ'),
    )
    .map(([y, mo, d, sep, h, mi, s, frac, zone]) => `${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}`),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 32 }),
  fc.constantFrom('2026-02-29T00:00:00Z', '2024-02-29T23:59:59.999999Z', '0000-01-01T00:00:00Z', ' 2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z '),
);

describe('parseHarvestTimestamp agrees with parseTimestamp', () => {
  it('on timestamp-like and arbitrary strings', () => {
    fc.assert(
      fc.property(timestampish, (s) => {
        expect(parseHarvestTimestamp(s)).toBe(parseTimestamp(s));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('isHarvestRow agrees with HarvestRowSchema', () => {
  const valid = {
    id: 'lsn-1',
    ts: '2026-01-01T00:00:00Z',
    project: 'acme/app',
    skill: null,
    type: 'pattern',
    key: 'bash-x',
    insight: 'Use git -C instead of cd',
    confidence: 8,
    retro_pr: 12,
    tags: '[]',
    retired_at: null,
  };
  const oddValue = fc.oneof(
    fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, 0, -0, 1.5, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, '', '7', true, [], {}, new Uint8Array([1])),
    fc.anything(),
  );
  it('on valid rows with one or two fields replaced by odd values, and on anything at all', () => {
    const mutated = fc
      .tuple(fc.subarray(Object.keys(valid), { maxLength: 2 }), oddValue, oddValue, fc.boolean())
      .map(([keys, a, b, drop]) => {
        const row: Record<string, unknown> = { ...valid };
        keys.forEach((k, i) => {
          if (drop && i === 0) delete row[k];
          else row[k] = i === 0 ? a : b;
        });
        return row;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (raw) => {
        expect(isHarvestRow(raw)).toBe(HarvestRowSchema.safeParse(raw).success);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('TokenTable.tokenizeInto agrees with tokenize', () => {
  const text = fc.array(
    fc.oneof(
      fc.constantFrom('Use', 'GIT', 'cd', 'x', 'a1', 'İstanbul', 'ǅ', 'ß', 'ﬃ', 'Ω', '用', '取代', '目录命令', '\u{1F600}', '\uD800', '_', '-', ' ', '\n', 'ÀB'),
      fc.string({ maxLength: 6 }),
      fc.string({ maxLength: 6, unit: 'binary' }),
    ),
    { maxLength: 14 },
  ).map((parts) => parts.join(''));
  it('token by token, with ids stable across texts', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (texts) => {
        const table = new TokenTable();
        const out = new IntList(4);
        const idOf = new Map<string, number>();
        for (const t of texts) {
          const from = out.length;
          const n = table.tokenizeInto(t, out);
          const ids = Array.from(out.view().subarray(from, from + n));
          expect(new Set(ids).size).toBe(ids.length); // each token once
          expect(new Set(ids.map((id) => table.token(id)))).toEqual(tokenize(t));
          for (const id of ids) {
            const s = table.token(id);
            if (idOf.has(s)) expect(idOf.get(s)).toBe(id);
            idOf.set(s, id);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("harvestRows' order is SQLite's ORDER BY ts DESC, rowid ASC", () => {
  const sqlText = fc.oneof(
    fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01 00:00:00', '2026-01-01T00:00:00.5Z', 'a', 'A', '', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', 'é', 'e\u0301'),
    fc.string({ maxLength: 4, unit: 'grapheme' }),
  );
  const sqlValue: fc.Arbitrary<SqlValue> = fc.oneof(
    sqlText,
    fc.constant(null),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ noNaN: true, min: -10, max: 10 }),
    fc.uint8Array({ maxLength: 3 }),
  );

  it('compareSqlValues sorts values as SQLite does', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    try {
      db.run('CREATE TABLE t (v)');
      await fc.assert(
        fc.asyncProperty(fc.array(sqlValue, { maxLength: 12 }), async (values) => {
          db.run('DELETE FROM t');
          for (const v of values) db.run('INSERT INTO t (v) VALUES (?)', [v]);
          const expected = (db.exec('SELECT v FROM t ORDER BY v, rowid')[0]?.values ?? []).map((r) => r[0]);
          const stored = (db.exec('SELECT v FROM t ORDER BY rowid')[0]?.values ?? []).map((r) => r[0]!);
          const sorted = stored
            .map((v, i) => ({ v, i }))
            .sort((a, b) => compareSqlValues(a.v, b.v) || a.i - b.i)
            .map((x) => x.v);
          expect(sorted).toEqual(expected);
        }),
        { numRuns: 500 },
      );
    } finally {
      db.close();
    }
  });

  it('for lessons with clashing, unusual and ordinary timestamps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(sqlText.filter((s) => s.length > 0), fc.boolean()), { maxLength: 15 }), async (specs) => {
        const store = await LessonsStore.open(null, 'test');
        try {
          store.upsertLessons(
            specs.map(([ts, retired], i) => ({
              id: `lsn-${i}`,
              ts,
              project: 'acme/app',
              type: 'pattern',
              key: 'bash-x',
              insight: 'Use git -C instead of cd in scripts',
              confidence: 7,
              source: 'observed',
              ...(retired ? { retired_at: '2026-01-01T00:00:00Z' } : {}),
            })),
          );
          const got = Array.from(store.harvestRows(), (r) => r.id);
          const db = (store as unknown as { db: import('sql.js').Database }).db;
          const want = (db.exec('SELECT id FROM lessons WHERE retired_at IS NULL ORDER BY ts DESC, rowid ASC')[0]?.values ?? []).map((r) => r[0]);
          expect(got).toEqual(want);
        } finally {
          store.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
