/**
 * Regenerates the generated parts of README.md: the inputs/outputs tables from action.yml, and the samples
 * (the digest issue and the conventions file Mycelium writes) from examples/lessons.db at the examples' date.
 * Run: npm run readme
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { openDbFile } from '../src/adapters/files.js';
import { parseConventionsTarget, writeConventions } from '../src/core/conventions.js';
import { renderDigestIssue, indexEntry, screenReport } from '../src/core/digestIssue.js';
import { distill } from '../src/core/distill.js';
import { parseTimestamp } from '../src/core/time.js';
import { actionTables, replacePart } from './lib/readmeParts.js';

const NOW = parseTimestamp('2026-11-20T00:00:00Z')!;
const REPO = 'acme/app';

const store = await openDbFile('examples/lessons.db', { mustExist: true });
const report = distill(store.harvestRows(), { now: NOW, project: null });
store.close();
const issue = renderDigestIssue({ ...report, project: REPO }, { repository: REPO, maxBodyChars: 65_536 });
// The sample without its JSON block (long, and folded on GitHub anyway).
const body = issue.body.replace(/<details>\n<summary>Full DigestReport JSON[\s\S]*?<\/details>\n/, '').replace(/^<!--.*-->\n/gm, '');
const { screened } = screenReport(report);
const rules = screened.slice(0, 2).map((s, i) => {
  const e = indexEntry(s, i + 1);
  return { id: e.candidate_id, title: e.title, text: e.rule, prs: e.prs };
});
const agents = writeConventions('# Agent instructions\n\nRun `npm test` before you push.\n', parseConventionsTarget('AGENTS.md'), rules, { repository: REPO, written: new Set() }).text;

let readme = readFileSync('README.md', 'utf8');
readme = replacePart(readme, 'action-tables', actionTables(readFileSync('action.yml', 'utf8')));
readme = replacePart(readme, 'sample-digest', `<details open><summary><b>${issue.title}</b> (the digest issue)</summary>\n\n${body.trim()}\n\n</details>`);
readme = replacePart(readme, 'sample-agents', `<details><summary><b>AGENTS.md</b> in the conventions pull request, after <code>/mycelium accept 1 2</code></summary>\n\n\`\`\`\`markdown\n${agents}\`\`\`\`\n\n</details>`);
writeFileSync('README.md', readme);
console.log('README.md: generated parts written');
