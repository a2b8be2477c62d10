/**
 * Hostile-input benchmark (issue 8 item 1): `npm run bench:hostile [-- --only '\n,*' --timeout 60]`.
 *
 * Each case is one 64 KiB comment made of one repeated character or short pattern. The same body is posted
 * three times in one merged PR (an inline review comment whose thread a maintainer resolved, a review body
 * and a conversation comment), once by an untrusted (NONE) and once by a trusted (OWNER) user, and the
 * whole capture path (`extractLessons`) is timed on that bundle. Every case runs in a child process so a
 * pathological regex cannot stall the table: it is killed at `--timeout` seconds and shown as "> N s".
 * Target: at most 2 s per bundle.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SIZE = 64 * 1024;
const TARGET_MS = 2_000;

/** Short patterns; each is repeated to exactly 64 KiB (cut at the end). */
export const PATTERNS: readonly string[] = [
  '\n',
  ' ',
  '*',
  '[',
  '![',
  '!',
  '`',
  '_',
  '~',
  '<',
  '(',
  '#',
  '>',
  '-',
  '|',
  'a',
  '@',
  ':',
  '\\',
  '.',
  'lesson:',
  '\t',
  '&',
  '"',
  "'",
  '=',
  '1.',
  '- ',
  '**',
  '<!--',
  '```',
  '[x](',
  '\u200b',
  'é',
  'Γ',
  'ignore ',
  ' \n',
  '-\n',
  '*\n',
  '> ',
  'a.',
  'a ',
  'http://',
  '&#1',
  ':a',
  '@a ',
  // words that open a guard rule, run on: each rule's span must stay linear
  'password',
  'api_key',
  'disabling ',
  'phone home ',
  'yaml.load(',
  `log${' '.repeat(8192)}`,
];

export function hostileBody(pattern: string): string {
  return pattern.repeat(Math.ceil(SIZE / pattern.length)).slice(0, SIZE);
}

/** A merged PR whose discussion is the hostile body three times over, posted with `association`. */
export function hostileBundle(body: string, association: 'NONE' | 'OWNER'): unknown {
  const user = { login: association === 'OWNER' ? 'owner' : 'stranger', type: 'User' };
  return {
    pull_request: {
      number: 9,
      html_url: 'https://github.com/acme/app/pull/9',
      title: 'Hostile',
      user: { login: 'author', type: 'User' },
      author_association: 'MEMBER',
      merged_at: '2026-03-02T00:00:00Z',
      base: { repo: { full_name: 'acme/app' } },
    },
    reviews: [
      { id: 11, user, body, state: 'COMMENTED', submitted_at: '2026-03-01T10:00:00Z', author_association: association },
    ],
    review_comments: [
      {
        id: 21,
        node_id: 'PRRC_21',
        user,
        body,
        path: 'src/app.ts',
        line: 3,
        created_at: '2026-03-01T09:00:00Z',
        html_url: 'https://github.com/acme/app/pull/9#discussion_r21',
        author_association: association,
      },
    ],
    issue_comments: [
      {
        id: 31,
        user,
        body,
        created_at: '2026-03-01T11:00:00Z',
        html_url: 'https://github.com/acme/app/pull/9#issuecomment-31',
        author_association: association,
      },
    ],
    review_threads: [
      { id: 'PRRT_21', is_resolved: true, is_outdated: false, resolved_by: 'author', comments: [{ id: 21 }] },
    ],
  };
}

function printable(p: string): string {
  const shown = JSON.stringify(p.replace(/(.)\1{11,}/gsu, (run, c: string) => `${c}×${run.length}`)).slice(1, -1);
  return shown;
}

/** Child mode: time one case and print the milliseconds. */
async function child(pattern: string, association: 'NONE' | 'OWNER'): Promise<void> {
  const { parsePrBundle } = await import('../src/capture/bundle.js');
  const { extractLessons } = await import('../src/capture/extract.js');
  const bundle = parsePrBundle(hostileBundle(hostileBody(pattern), association), 'bench');
  // One warm-up on a small body so module compilation is not counted.
  extractLessons(parsePrBundle(hostileBundle('Always pin actions to a SHA.', association), 'bench'), {
    now: '2026-03-03T00:00:00Z',
  });
  const t0 = process.hrtime.bigint();
  const result = extractLessons(bundle, { now: '2026-03-03T00:00:00Z' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ ms, lessons: result.lessons.length }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      child: { type: 'string' },
      association: { type: 'string' },
    },
  });
  if (values.child !== undefined)
    return child(JSON.parse(values.child) as string, values.association as 'NONE' | 'OWNER');
  const timeoutS = Number(values.timeout);
  const patterns = values.only ? values.only.split(',').map((p) => JSON.parse(`"${p}"`) as string) : PATTERNS;
  const self = fileURLToPath(import.meta.url);
  console.log(`hostile input: ${SIZE} B per comment, 3 comments per PR bundle, target <= ${TARGET_MS} ms per bundle\n`);
  console.log('pattern      | NONE ms  | OWNER ms | lessons');
  console.log('-------------|----------|----------|--------');
  let worst = 0;
  let failures = 0;
  for (const p of patterns) {
    const cells: string[] = [];
    let lessons = '';
    for (const association of ['NONE', 'OWNER'] as const) {
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, self, '--child', JSON.stringify(p), '--association', association],
        {
          encoding: 'utf8',
          timeout: timeoutS * 1000,
        },
      );
      if (run.error || run.status !== 0) {
        cells.push(run.error ? `> ${timeoutS} s` : 'error');
        failures++;
        worst = Infinity;
        if (!run.error) process.stderr.write(run.stderr);
        continue;
      }
      const r = JSON.parse(run.stdout) as { ms: number; lessons: number };
      worst = Math.max(worst, r.ms);
      if (r.ms > TARGET_MS) failures++;
      cells.push(r.ms.toFixed(1));
      lessons += (lessons ? '/' : '') + r.lessons;
    }
    console.log(`${printable(p).padEnd(12)} | ${cells[0]!.padStart(8)} | ${cells[1]!.padStart(8)} | ${lessons}`);
  }
  console.log(
    `\nworst ${Number.isFinite(worst) ? worst.toFixed(1) + ' ms' : 'timed out'}; ${failures} case(s) over ${TARGET_MS} ms`,
  );
  process.exitCode = failures ? 1 : 0;
}

await main();
