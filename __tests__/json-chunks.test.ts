import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonChunks } from '../src/core/jsonChunks.js';

const pieces = (v: unknown, depth?: number): string => [...jsonChunks(v, '', depth)].join('');

describe('jsonChunks: JSON.stringify(value, null, 2) in pieces', () => {
  it('is byte for byte the same text for any JSON value, at any depth', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true })),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 600 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 6 })),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 7 }), (v, depth) => {
        expect(pieces(v, depth)).toBe(JSON.stringify(v, null, 2) ?? 'null');
      }),
      { numRuns: 1500 },
    );
  });

  it('writes a report of many member lessons in pieces no larger than a batch of them', () => {
    const member = (i: number) => ({ id: `l${i}`, key: 'ts-key', insight: `Line one\nwith "quotes" ${i}`, confidence: 8, skill: undefined, fn: () => i });
    const report = { version: '1.0', candidates: [{ candidate_id: 'cl-1', cluster: { lesson_ids: Array.from({ length: 5000 }, (_, i) => `l${i}`), member_lessons: Array.from({ length: 5000 }, (_, i) => member(i)) } }] };
    const parts = [...jsonChunks(report)];
    expect(parts.join('')).toBe(JSON.stringify(report, null, 2));
    const whole = JSON.stringify(report, null, 2).length;
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(whole / 5);
  });
});
