/**
 * Capture quality on labelled real review data: precision and recall of rules against the hand labels of
 * crc-py-rules.json, the labelled themes that distill surfaces as candidates, the share of praise and
 * false-positive comments that became lessons, and what the github-* payloads yield.
 *
 *   npm run measure [-- --data DIR] [--misses N] [--fp N] [--similarity seed|review] [--json]
 *
 * DIR defaults to the vendored copy, __tests__/fixtures/realdata.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractLessons } from '../src/capture/extract.js';
import { bundleFromDataFile, type CrcRecord } from './lib/datasets.js';
import { distillSimilarity, measureRules, type RuleLabel } from './lib/measureRules.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(flag('--data') ?? join(repo, '__tests__', 'fixtures', 'realdata'));
const readJson = (rel: string): unknown => JSON.parse(readFileSync(join(dataDir, rel), 'utf8'));

const records = readJson('crc-py-labeled.json') as CrcRecord[];
const labels = (readJson('crc-py-rules.json') as { labels: RuleLabel[] }).labels;
const similarity = flag('--similarity') ?? 'review';
const m = measureRules(records, labels, { distill: distillSimilarity(similarity) });

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
if (args.includes('--json')) {
  const { report: _report, ...rest } = m;
  console.log(JSON.stringify(rest, null, 2));
  process.exit(0);
}
console.log(`CRC-Py hand labels: ${m.labelled} real comments labelled, ${m.rules} rules`);
console.log(`  recall    ${m.truePositives} / ${m.rules} = ${pct(m.recall)}   (target >= 50%)`);
console.log(`  precision ${m.truePositives} / ${m.capturedLabelled} = ${pct(m.precision)}   (target >= 75%)`);
console.log('  recall by form:');
for (const [form, f] of Object.entries(m.recallByForm).sort((a, b) => b[1].rules - a[1].rules))
  console.log(`    ${form.padEnd(12)} ${String(f.captured).padStart(3)} / ${String(f.rules).padEnd(3)} ${pct(f.captured / f.rules)}`);
console.log(`  praise + false positive -> lessons: ${m.noise.lessons} / ${m.noise.records} = ${pct(m.noise.share)}   (target <= 5%)`);
console.log(`\nThemes with >= 3 labelled members over >= 2 PRs: ${m.themesSurfaced} / ${m.themes.length} surface as candidates (target >= 2/3)`);
for (const t of m.themes)
  console.log(`  ${t.candidate ? 'yes' : ' no'}  ${t.theme.padEnd(28)} ${t.members} members, ${t.prs} PRs, ${t.captured} captured${t.candidate ? ` -> "${t.candidate}"` : ''}`);
console.log(`\nDistill over all ${m.report.total_lessons_scanned} captured CRC-Py lessons: ${m.report.candidate_count} candidates, ${m.report.cluster_count} clusters`);
for (const c of m.candidates)
  console.log(`  ${c.title.padEnd(40)} ${String(c.size).padStart(3)} lessons ${String(c.prs).padStart(3)} PRs  themes ${JSON.stringify(c.themes)}\n      ${c.insight.slice(0, 140)}`);

const show = (name: string, n: number, rows: string[]): void => {
  if (n <= 0) return;
  console.log(`\n${name} (first ${Math.min(n, rows.length)} of ${rows.length}):`);
  for (const r of rows.slice(0, n)) console.log(r);
};
show('Misses', Number(flag('--misses') ?? 0), m.misses.map((x) => `- #${x.index} [${x.form}] ${x.comment}\n    rule: ${x.rule}`));
show('False positives', Number(flag('--fp') ?? 0), m.falsePositives.map((x) => `- #${x.index} ${x.comment}\n    insight: ${x.insight}\n    label: ${x.notes}`));

// The github-* payloads: what a real PR of each shape yields.
console.log('\ngithub-* payloads (as found; authors by their own association):');
let total = 0;
for (const dir of readdirSync(dataDir).filter((d) => d.startsWith('github-')).sort()) {
  for (const f of readdirSync(join(dataDir, dir)).filter((x) => x.endsWith('.json')).sort()) {
    const rel = `${dir}/${f}`;
    const r = extractLessons(bundleFromDataFile(rel, readJson(rel)), { now: '2026-01-01T00:00:00Z' });
    total += r.lessons.length;
    if (r.lessons.length === 0) continue;
    console.log(`  ${rel}: ${r.lessons.length}`);
    for (const l of r.lessons) console.log(`    - ${l.lesson.source} c${l.lesson.confidence} ${l.lesson.key}: ${l.lesson.insight.slice(0, 120)}`);
  }
}
console.log(`  ${total} lessons in all`);
