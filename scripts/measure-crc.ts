/**
 * Measures capture's "is this a lesson?" filter on the CRC-Py labeled review comments
 * (__tests__/fixtures/realdata/crc-py-labeled.json, or the path given as the first argument): one bundle per PR,
 * synthetic rows excluded, original comment text, authors trusted (MEMBER), every comment a resolved
 * thread so only the text decides. Prints the yield per category and subcategory and the share of
 * praise + question + false-positive comments that became lessons (must stay at or below 5%).
 *
 *   node --import tsx scripts/measure-crc.ts [path] [--list N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureCrc, type CrcRecord, type CrcYield } from './lib/datasets.js';

const args = process.argv.slice(2);
const listAt = args.indexOf('--list');
const list = listAt >= 0 ? Number(args[listAt + 1] ?? 20) : 0;
const vendored = fileURLToPath(new URL('../__tests__/fixtures/realdata/crc-py-labeled.json', import.meta.url));
const defaultFile = existsSync(vendored) ? vendored : undefined;
const file = args.find((a, i) => !a.startsWith('--') && (listAt < 0 || i !== listAt + 1)) ?? defaultFile;
if (!file) throw new Error('crc-py-labeled.json not found: pass its path');
const records = JSON.parse(readFileSync(file, 'utf8')) as CrcRecord[];
const m = measureCrc(records);

const pct = (y: CrcYield) => (y.records ? ((100 * y.lessons) / y.records).toFixed(1) : '0.0');
const table = (title: string, rows: Record<string, CrcYield>) => {
  console.log(`\n${title}`);
  for (const [k, y] of Object.entries(rows).sort((a, b) => b[1].records - a[1].records))
    console.log(`  ${k.padEnd(24)} ${String(y.lessons).padStart(4)} / ${String(y.records).padEnd(4)} ${pct(y).padStart(5)}%`);
};
console.log(`CRC-Py: ${m.records} real comments in ${m.prs} PRs -> ${m.lessons} lessons (${pct(m)}%)`);
table('by category', m.byCategory);
table('by subcategory', m.bySubcategory);
console.log(
  `\npraise + question + false positive: ${m.noise.lessons} / ${m.noise.records} = ${(100 * m.noise.share).toFixed(1)}% (limit 5%) -> ${m.noise.share <= 0.05 ? 'OK' : 'TOO HIGH'}`,
);
if (list > 0) {
  console.log(`\nfirst ${list} captured:`);
  for (const c of m.captured.slice(0, list))
    console.log(`- [${c.category}/${c.subcategory}] ${c.type} ${c.key}\n    comment: ${c.comment.replace(/\s+/g, ' ').slice(0, 160)}\n    insight: ${c.insight}`);
}
process.exitCode = m.noise.share <= 0.05 ? 0 : 1;
