import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { LESSON_SOURCES, LESSON_TYPES, toLesson, type NewLesson } from '../core/lesson.js';
import { renderDigestText, renderLessonLine } from '../core/render.js';
import { formatTimestamp, parseSince, parseTimestamp } from '../core/time.js';
import { describeZodError } from '../core/zodError.js';
import { directoryArchiveSink, fileWatermarkStore, openDbFile, saveDbFile, writeJsonFile } from '../adapters/files.js';
import { advanceWatermark, runDistill } from '../ops/distillRun.js';
import { promoteTiers } from '../ops/promoteTiers.js';
import type { Logger } from '../ports/index.js';
import { parseArgs, UsageError } from './args.js';
import { validateFlags } from './flags.js';
import { offlineDecisions } from './loop.js';
import { suppressDecided } from '../core/conventionsDecisions.js';
import { COMMAND_HELP, groupHelp, suggestCommand, VERSION } from './help.js';
import { conventionsWriteCommand, decideCommand } from './loop.js';
import { defaultTrustPolicy } from '../capture/actors.js';
import { parsePrBundle, type PrBundle } from '../capture/bundle.js';
import { createOctokit } from '../github/octokit.js';
import { clusterThreads } from '../adapters/clusterThreads.js';
import { readPrBundle } from '../github/readPullRequest.js';
import { captureBundles, type CaptureSettings } from '../ops/capture.js';
import { backfillMergedPrs, describeBackfill } from '../ops/backfill.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The clock, unless --now fixes it. */
  now: () => number;
  /** Environment for online capture (GITHUB_TOKEN, GITHUB_API_URL); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

const isoTimestamp = z.string().refine((s) => parseTimestamp(s) !== null, 'must be an ISO 8601 timestamp');
const positiveInt = z
  .string()
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1));
const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

function validate<S extends z.ZodType>(schema: S, flags: Record<string, unknown>, command: string): z.output<S> {
  return validateFlags(schema, flags, command);
}

/** The flags of a command that takes no positional arguments: a stray word is an error, not silently ignored. */
function flagsOnly(argv: readonly string[], spec: Parameters<typeof parseArgs>[1], command: string): Record<string, string | true> {
  const { positionals, flags } = parseArgs(argv, spec);
  if (positionals.length) throw new UsageError(`${command}: unexpected argument '${positionals[0]}'`);
  return flags;
}

function clock(io: Io, now: string | undefined): number {
  return now === undefined ? io.now() : parseTimestamp(now)!;
}

function stderrLogger(io: Io): Logger {
  return { info: (m) => io.stderr(`${m}\n`), warning: (m) => io.stderr(`warning: ${m}\n`) };
}

const DistillRunFlags = z
  .object({
    db: z.string().min(1),
    since: z
      .string()
      .default('90d')
      .refine((v) => {
        try {
          parseSince(v, 0);
          return true;
        } catch {
          return false;
        }
      }, 'must be <N>d (e.g. 90d) or an ISO 8601 timestamp'),
    project: z.string().min(1).optional(),
    'min-cluster': positiveInt.optional(),
    similarity: z.enum(['review', 'seed'], { message: "must be 'review' or 'seed'" }).optional(),
    now: isoTimestamp.optional(),
    watermark: z.string().min(1).optional(),
    'no-watermark': z.literal(true).optional(),
    out: z.string().min(1).optional(),
  })
  .strict()
  .refine((f) => !(f.watermark && f['no-watermark']), { message: 'and --no-watermark cannot both be given', path: ['watermark'] });

async function distillRunCommand(argv: string[], io: Io): Promise<number> {
  const flags = flagsOnly(argv, {
    values: ['db', 'since', 'project', 'min-cluster', 'similarity', 'now', 'watermark', 'out'],
    booleans: ['no-watermark'],
  }, 'distill run');
  const f = validate(DistillRunFlags, flags, 'distill run');
  const now = clock(io, f.now);
  const store = await openDbFile(f.db, { mustExist: true });
  try {
    const watermarkPath = f.watermark ?? join(dirname(f.db), 'state.json');
    const watermark = f['no-watermark'] ? null : fileWatermarkStore(watermarkPath);
    // Decisions taken with `mycelium decide` (or copied from the state branch) hold offline too.
    const decisions = await offlineDecisions(store, f.db, io);
    const distilled = await runDistill(
      store,
      {
        now,
        since: f.since,
        project: f.project ?? null,
        ...(f['min-cluster'] ? { minCluster: f['min-cluster'] } : {}),
        ...(f.similarity ? { similarity: f.similarity } : {}),
        threads: clusterThreads({ env: io.env ?? process.env }),
        watermark,
        advance: false, // only once the digest is out: a failed --out must not swallow the nudge
        afterHarvest: () => store.close(), // nothing below reads the database
      },
      stderrLogger(io),
    );
    const suppressed = suppressDecided(distilled, decisions);
    const report = suppressed.report;
    if (suppressed.rejected || suppressed.accepted) {
      io.stderr(`not proposed again: ${suppressed.rejected} rejected, ${suppressed.accepted} accepted candidate(s)\n`);
    }
    if (f.out) {
      await writeJsonFile(f.out, report);
      io.stdout(`wrote ${f.out}: ${report.candidate_count} candidates from ${report.total_lessons_scanned} lessons\n`);
    } else {
      io.stdout(renderDigestText(report));
    }
    if (watermark) await advanceWatermark(watermark, now);
    return 0;
  } finally {
    store.close();
  }
}

const PromoteFlags = z
  .object({ db: z.string().min(1), now: isoTimestamp.optional(), 'archive-dir': z.string().min(1).optional() })
  .strict();

async function promoteTiersCommand(argv: string[], io: Io): Promise<number> {
  const flags = flagsOnly(argv, { values: ['db', 'now', 'archive-dir'], booleans: [] }, 'distill promote-tiers');
  const f = validate(PromoteFlags, flags, 'distill promote-tiers');
  const store = await openDbFile(f.db, { mustExist: true });
  try {
    const archiveDir = f['archive-dir'] ?? join(dirname(f.db), 'archive');
    const report = await promoteTiers(store, clock(io, f.now), directoryArchiveSink(archiveDir));
    await saveDbFile(store, f.db);
    io.stdout(`promoted ${report.promoted}, demoted ${report.demoted} (archived ${report.archived}), errors ${report.errors.length}\n`);
    for (const e of report.errors) io.stderr(`error: ${e}\n`);
    return report.errors.length ? 1 : 0;
  } finally {
    store.close();
  }
}

const AddFlags = z
  .object({
    db: z.string().min(1),
    project: z.string().min(1),
    type: z.enum(LESSON_TYPES),
    key: z.string().min(1),
    insight: z.string().min(1),
    confidence: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).default(5),
    source: z.enum(LESSON_SOURCES).default('observed'),
    skill: z.string().min(1).optional(),
    files: commaList.optional(),
    tags: commaList.optional(),
    'retro-pr': positiveInt.optional(),
    id: z.string().min(1).optional(),
    now: isoTimestamp.optional(),
  })
  .strict();

async function lessonsAddCommand(argv: string[], io: Io): Promise<number> {
  const flags = flagsOnly(argv, {
    values: ['db', 'project', 'type', 'key', 'insight', 'confidence', 'source', 'skill', 'files', 'tags', 'retro-pr', 'id', 'now'],
    booleans: [],
  }, 'lessons add');
  const f = validate(AddFlags, flags, 'lessons add');
  const input: NewLesson = {
    id: f.id ?? `lsn-${randomUUID()}`,
    ts: formatTimestamp(clock(io, f.now)),
    project: f.project,
    skill: f.skill ?? null,
    type: f.type,
    key: f.key,
    insight: f.insight,
    confidence: f.confidence,
    source: f.source,
    files: f.files ?? [],
    tags: f.tags ?? [],
    retro_pr: f['retro-pr'] ?? null,
  };
  // A value the lesson schema refuses is a wrong argument (exit 2), found before the database is touched.
  try {
    toLesson(input);
  } catch (err) {
    throw new UsageError(`lessons add: ${(err as Error).message}`);
  }
  const store = await openDbFile(f.db);
  try {
    // As mycelium's insert: an id that exists is an error, never a silent overwrite.
    if (f.id !== undefined && store.hasLesson(f.id)) throw new Error(`lesson ${f.id} already exists in ${f.db}; lessons add does not overwrite`);
    const [lesson] = store.upsertLessons([input]);
    await saveDbFile(store, f.db);
    io.stdout(`${lesson!.id}\n`);
    return 0;
  } finally {
    store.close();
  }
}

const ListFlags = z
  .object({
    db: z.string().min(1),
    project: z.string().min(1).optional(),
    limit: positiveInt.optional(),
    json: z.literal(true).optional(),
    all: z.literal(true).optional(),
  })
  .strict();

async function lessonsListCommand(argv: string[], io: Io): Promise<number> {
  const flags = flagsOnly(argv, { values: ['db', 'project', 'limit'], booleans: ['json', 'all'] }, 'lessons list');
  const f = validate(ListFlags, flags, 'lessons list');
  const store = await openDbFile(f.db, { mustExist: true });
  try {
    const rows = store.listLessons({
      project: f.project ?? null,
      limit: f.limit ?? null,
      includeRetired: f.all === true,
      onBadRow: (message) => io.stderr(`mycelium: warning: ${message}\n`),
    });
    if (f.json) io.stdout(JSON.stringify(rows, null, 2) + '\n');
    else for (const row of rows) io.stdout(renderLessonLine(row) + '\n');
    return 0;
  } finally {
    store.close();
  }
}

const CaptureFlags = z
  .object({
    db: z.string().min(1),
    bundle: z.string().min(1).optional(),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/repo').optional(),
    pr: positiveInt.optional(),
    'save-bundle': z.string().min(1).optional(),
    now: isoTimestamp.optional(),
    'max-lessons': z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().max(5, 'must be at most 5 (lessons per PR: 0–5)'))
      .optional(),
    'trust-contributors': z.literal(true).optional(),
    json: z.literal(true).optional(),
  })
  .strict()
  .refine((f) => (f.bundle === undefined) !== (f.repo === undefined), {
    message: 'give either --bundle PATH (offline) or --repo OWNER/REPO --pr N (online)',
    path: ['bundle'],
  })
  .refine((f) => (f.repo === undefined) === (f.pr === undefined), { message: 'and --pr go together', path: ['repo'] })
  .refine((f) => f['save-bundle'] === undefined || f.repo !== undefined, {
    message: 'only applies to online capture (--repo/--pr)',
    path: ['save-bundle'],
  });

async function captureCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const flags = flagsOnly(
    argv,
    { values: ['db', 'bundle', 'repo', 'pr', 'save-bundle', 'now', 'max-lessons'], booleans: ['trust-contributors', 'json'] },
    'capture',
  );
  const f = validate(CaptureFlags, flags, 'capture');
  const now = formatTimestamp(clock(io, f.now));
  const settings: CaptureSettings = {
    ...(f['max-lessons'] !== undefined ? { maxLessons: f['max-lessons'] } : {}),
    ...(f['trust-contributors'] ? { policy: defaultTrustPolicy({ includeContributors: true }) } : {}),
  };
  // Read and validate every input before the database is touched: bad input stores nothing.
  let bundles: PrBundle[];
  if (f.bundle !== undefined) {
    bundles = await readBundles(f.bundle);
  } else {
    const [owner, repo] = f.repo!.split('/') as [string, string];
    const token = env['GITHUB_TOKEN'] ?? env['GH_TOKEN'];
    if (!token) throw new Error('online capture needs a token in GITHUB_TOKEN (or GH_TOKEN)');
    const octokit = createOctokit({ token, baseUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com' });
    const { bundle, requests } = await readPrBundle(octokit, { owner, repo, pull_number: f.pr! });
    io.stderr(`read ${f.repo}#${f.pr} in ${requests} requests\n`);
    if (f['save-bundle']) await writeFile(f['save-bundle'], JSON.stringify(bundle, null, 2) + '\n');
    bundles = [bundle];
  }
  const store = await openDbFile(f.db);
  try {
    const outcomes = captureBundles(store, bundles, now, settings);
    await saveDbFile(store, f.db);
    if (f.json) {
      io.stdout(JSON.stringify(outcomes, null, 2) + '\n');
    } else {
      for (const o of outcomes) {
        if (!o.merged) {
          io.stdout(`${o.project}#${o.prNumber}: not merged (merged_at is null or missing in the bundle): nothing captured\n`);
          continue;
        }
        io.stdout(
          `${o.project}#${o.prNumber}: ${o.lessons.length} lessons (${o.inserted.length} new), ${o.skipped.length} comments skipped\n`,
        );
        for (const l of o.lessons) io.stdout(`  ${l.lesson.key} [${l.lesson.source}, c${l.lesson.confidence}] ${l.lesson.insight}\n`);
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

const BackfillFlags = z
  .object({
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/repo'),
    db: z.string().min(1),
    days: positiveInt.optional(),
    'max-prs': positiveInt.optional(),
    now: isoTimestamp.optional(),
    json: z.literal(true).optional(),
  })
  .strict();

/** `mycelium backfill`: the Action's catch-up for a long window, run from a terminal (ops/backfill.ts). */
async function backfillCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const flags = flagsOnly(argv, { values: ['repo', 'db', 'days', 'max-prs', 'now'], booleans: ['json'] }, 'backfill');
  const f = validate(BackfillFlags, flags, 'backfill');
  const nowMicros = clock(io, f.now);
  const since = formatTimestamp(nowMicros - (f.days ?? 365) * 86_400_000_000);
  const [owner, repo] = f.repo.split('/') as [string, string];
  const token = env['GITHUB_TOKEN'] ?? env['GH_TOKEN'];
  if (!token) throw new Error('backfill needs a token in GITHUB_TOKEN (or GH_TOKEN)');
  const octokit = createOctokit({ token, baseUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com' });
  const store = await openDbFile(f.db);
  try {
    const result = await backfillMergedPrs(
      octokit,
      store,
      { owner, repo, since, now: formatTimestamp(nowMicros), ...(f['max-prs'] ? { maxPrs: f['max-prs'] } : {}) },
      stderrLogger(io),
    );
    await saveDbFile(store, f.db);
    if (f.json) io.stdout(JSON.stringify({ ...result, captured: result.captured.map((c) => c.prNumber) }, null, 2) + '\n');
    else io.stdout(`${f.repo}: ${describeBackfill(result)}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** One bundle file, or every `*.json` in a folder. Each is validated; the first bad one fails the whole call. */
async function readBundles(path: string): Promise<PrBundle[]> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path, { withFileTypes: true }))
          .filter((e) => e.isFile() && e.name.endsWith('.json'))
          .map((e) => e.name)
          .sort()
          .map((n) => join(path, n))
      : [path];
  } catch (err) {
    throw new Error(`cannot read bundle ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (files.length === 0) throw new Error(`no *.json bundle files in ${path}`);
  const bundles: PrBundle[] = [];
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')); // editors on Windows add a BOM
    } catch (err) {
      throw new Error(`bundle ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    bundles.push(parsePrBundle(value, file));
  }
  return bundles;
}

export const USAGE = `usage:
  mycelium distill run --db FILE [--since 90d|ISO] [--project P] [--min-cluster N]
                       [--similarity review|seed] [--now ISO] [--watermark FILE | --no-watermark] [--out FILE]
  mycelium distill promote-tiers --db FILE [--now ISO] [--archive-dir DIR]
  mycelium lessons add --db FILE --project P --type T --key K --insight TEXT
                       [--confidence 1-10] [--source S] [--skill S] [--files a,b] [--tags a,b]
                       [--retro-pr N] [--id ID] [--now ISO]
  mycelium lessons list --db FILE [--project P] [--limit N] [--all] [--json]
  mycelium capture --bundle PATH --db FILE [--now ISO] [--max-lessons N] [--trust-contributors] [--json]
  mycelium capture --repo OWNER/REPO --pr N --db FILE [--save-bundle FILE] [...]   (token: GITHUB_TOKEN)
  mycelium backfill --repo OWNER/REPO --db FILE [--days N] [--max-prs N] [--now ISO] [--json]   (token: GITHUB_TOKEN)
  mycelium decide accept|reject N... --report FILE --db FILE [--reason TEXT] [--by NAME]
  mycelium decide retire LESSON_ID... --db FILE [--reason TEXT]
  mycelium conventions write --db FILE --out FILE [--target KIND] [--repo OWNER/REPO]
  mycelium --version;  mycelium <command> [<subcommand>] --help
`;

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  'distill run': distillRunCommand,
  'distill promote-tiers': promoteTiersCommand,
  'lessons add': lessonsAddCommand,
  'lessons list': lessonsListCommand,
  capture: (argv, io) => captureCommand(argv, io, io.env ?? process.env),
  backfill: (argv, io) => backfillCommand(argv, io, io.env ?? process.env),
  'decide accept': (argv, io) => decideCommand('accept', argv, io),
  'decide reject': (argv, io) => decideCommand('reject', argv, io),
  'decide retire': (argv, io) => decideCommand('retire', argv, io),
  'conventions write': conventionsWriteCommand,
};

const wantsHelp = (args: readonly string[]): boolean => args.some((a) => a === '--help' || a === '-h');

/** Runs the CLI; every failure is one line on stderr and a non-zero exit code, never a stack trace. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    (argv.length === 0 ? io.stderr : io.stdout)(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    io.stdout(`mycelium ${VERSION}\n`);
    return 0;
  }
  const twoWords = `${argv[0]} ${argv[1] ?? ''}`.trim();
  const [name, rest] = COMMANDS[argv[0]!] ? [argv[0]!, argv.slice(1)] : [twoWords, argv.slice(2)];
  const command = COMMANDS[name];
  if (command && wantsHelp(rest)) {
    io.stdout(COMMAND_HELP[name] ?? USAGE);
    return 0;
  }
  const group = !command ? groupHelp(argv[0]!) : null;
  if (group && (argv.length === 1 ? false : wantsHelp(argv.slice(1, 2)))) {
    io.stdout(group);
    return 0;
  }
  try {
    if (!command) {
      const guess = suggestCommand(name, Object.keys(COMMANDS));
      throw new UsageError(`unknown command '${name}'${guess ? `; did you mean '${guess}'?` : ''} (try --help)`);
    }
    return await command(rest, io);
  } catch (err) {
    const message =
      err instanceof z.ZodError ? describeZodError(err, name) : err instanceof Error ? err.message : String(err);
    io.stderr(`mycelium: ${message.split('\n')[0]}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
