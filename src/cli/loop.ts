/**
 * The team's loop offline (SPEC §6, §10): `mycelium decide accept|reject|retire …` records decisions in the
 * database and in `decisions.json` beside it, as mode feedback does; `mycelium conventions write --out FILE`
 * writes the accepted rules into a conventions file (only inside Mycelium's block).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { openDbFile, saveDbFile } from '../adapters/files.js';
import { DECISIONS_FILE, fileDecisionsFile } from '../adapters/feedbackPorts.js';
import { parseConventionsTarget, writeConventions } from '../core/conventions.js';
import { acceptedRules, retiredLessonIds, type Decision, type DecisionState } from '../core/conventionsDecisions.js';
import type { LessonsStore } from '../store/lessonsStore.js';
import { indexEntry, screenReport } from '../core/digestIssue.js';
import type { DigestReport } from '../core/distill.js';
import { formatTimestamp, parseTimestamp } from '../core/time.js';
import { loadDecisionState, saveDecisionFile } from '../ops/feedback.js';
import type { FeedbackPorts } from '../ports/index.js';
import { parseArgs, UsageError } from './args.js';
import type { Io } from './commands.js';
import { validateFlags } from './flags.js';

const isoTimestamp = z.string().refine((s) => parseTimestamp(s) !== null, 'must be an ISO 8601 timestamp');

/** Only what the decisions need of the feedback ports: the file beside the database. */
function decisionsPorts(db: string): FeedbackPorts {
  return { decisions: fileDecisionsFile(join(dirname(db), DECISIONS_FILE)) } as unknown as FeedbackPorts;
}

const quietLog = (io: Io) => ({ info: () => {}, warning: (m: string) => io.stderr(`mycelium: warning: ${m}\n`) });

/** The decisions of the database and of decisions.json beside it (retired lessons retired in the store too). */
export async function offlineDecisions(store: LessonsStore, db: string, io: Io): Promise<DecisionState> {
  const state = await loadDecisionState(store, decisionsPorts(db), quietLog(io));
  store.retireLessons(retiredLessonIds(state), formatTimestamp(io.now()), 'retired by the team');
  return state;
}

async function readReport(path: string): Promise<DigestReport> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the digest report ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const candidates = (value as { candidates?: unknown })?.candidates;
  if (!Array.isArray(candidates)) throw new Error(`${path} is not a DigestReport (write one with: mycelium distill run --out FILE)`);
  return value as DigestReport;
}

const DecideFlags = z
  .object({
    db: z.string().min(1),
    report: z.string().min(1).optional(),
    reason: z.string().optional(),
    by: z.string().min(1).default('cli'),
    now: isoTimestamp.optional(),
  })
  .strict();

export async function decideCommand(verb: 'accept' | 'reject' | 'retire', argv: string[], io: Io): Promise<number> {
  const name = `decide ${verb}`;
  const { positionals, flags } = parseArgs(argv, { values: ['db', 'report', 'reason', 'by', 'now'], booleans: [] });
  const f = validateFlags(DecideFlags, flags, name);
  if (positionals.length === 0) throw new UsageError(`${name}: give ${verb === 'retire' ? 'lesson ids' : 'candidate numbers'}, e.g. mycelium ${name} ${verb === 'retire' ? 'lsn-…' : '1 3'} --db FILE${verb === 'retire' ? '' : ' --report FILE'}`);
  const at = formatTimestamp(f.now === undefined ? io.now() : parseTimestamp(f.now)!);
  const store = await openDbFile(f.db, { mustExist: true });
  try {
    const ports = decisionsPorts(f.db);
    let state = await loadDecisionState(store, ports, quietLog(io));
    const base = { by: f.by, at, comment_url: null, reason: f.reason ?? '' };
    const decisions: Decision[] = [];
    if (verb === 'retire') {
      for (const id of positionals) {
        if (!store.hasLesson(id)) throw new Error(`${name}: no lesson ${id} in ${f.db}`);
        decisions.push({ ...base, subject: id, decision: 'retire', lesson_ids: [id], title: null, rule: null, prs: [] });
      }
      const retired = store.retireLessons(positionals, at, f.reason || 'retired with mycelium decide retire');
      io.stdout(`retired ${retired.length} lesson(s)${retired.length < positionals.length ? ` (${positionals.length - retired.length} already retired)` : ''}\n`);
    } else {
      if (!f.report) throw new UsageError(`${name}: --report FILE is required (the DigestReport the numbers refer to)`);
      const { screened } = screenReport(await readReport(f.report));
      for (const word of positionals) {
        if (!/^\d{1,4}$/.test(word)) throw new UsageError(`${name}: '${word}' is not a candidate number`);
        const s = screened[Number(word) - 1];
        if (!s) throw new Error(`${name}: the report has no candidate ${word} (it has ${screened.length})`);
        const e = indexEntry(s, Number(word));
        decisions.push({ ...base, reason: verb === 'reject' ? base.reason : '', subject: e.candidate_id, decision: verb, lesson_ids: e.lesson_ids, title: e.title, rule: e.rule, prs: e.prs });
        io.stdout(`${verb === 'accept' ? 'accepted' : 'rejected'} ${word}. ${e.title}: ${e.rule}\n`);
      }
    }
    state = { ...state, decisions: [...state.decisions, ...decisions] };
    store.saveDecisionState(state);
    await saveDbFile(store, f.db);
    await saveDecisionFile(ports, state);
    return 0;
  } finally {
    store.close();
  }
}

const WriteFlags = z
  .object({
    db: z.string().min(1),
    out: z.string().min(1),
    target: z.string().min(1).optional(),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/repo').optional(),
    'server-url': z.string().url('must be a URL').optional(),
  })
  .strict();

export async function conventionsWriteCommand(argv: string[], io: Io): Promise<number> {
  const name = 'conventions write';
  const { positionals, flags } = parseArgs(argv, { values: ['db', 'out', 'target', 'repo', 'server-url'], booleans: [] });
  if (positionals.length) throw new UsageError(`${name}: unexpected argument '${positionals[0]}'`);
  const f = validateFlags(WriteFlags, flags, name);
  let target;
  try {
    target = parseConventionsTarget(f.target ?? f.out);
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}${f.target ? '' : ' (name the kind with --target, e.g. --target AGENTS.md)'}`);
  }
  const store = await openDbFile(f.db, { mustExist: true });
  try {
    const ports = decisionsPorts(f.db);
    const state = await loadDecisionState(store, ports, quietLog(io));
    const rules = acceptedRules(state);
    if (rules.length === 0) {
      io.stdout(`no accepted conventions in ${f.db}: nothing written (accept some with: mycelium decide accept N --report FILE --db FILE)\n`);
      return 0;
    }
    const project = store.listLessons({ limit: 1, includeRetired: true })[0]?.project;
    const repository = f.repo ?? (project && /^[^/\s]+\/[^/\s]+$/.test(project) ? project : 'OWNER/REPO');
    let current: string | null = null;
    try {
      current = await readFile(f.out, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${f.out}: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
    }
    const written = new Set(state.written[target.path] ?? []);
    const result = writeConventions(current, target, rules, { repository, ...(f['server-url'] ? { serverUrl: f['server-url'] } : {}), written });
    if (result.changed) await writeFile(f.out, result.text);
    const next = { ...state, written: { ...state.written, [target.path]: [...new Set([...written, ...result.inBlock])] } };
    store.saveDecisionState(next);
    await saveDbFile(store, f.db);
    await saveDecisionFile(ports, next);
    io.stdout(
      `${result.changed ? 'wrote' : 'unchanged'} ${f.out}: ${result.added.length} rule(s) added, ${result.kept.length} kept` +
        (result.removedByPerson.length ? `, ${result.removedByPerson.length} removed by hand (not added back)` : '') +
        (result.refused.length ? `, ${result.refused.length} held back by the guard` : '') +
        '\n',
    );
    return 0;
  } finally {
    store.close();
  }
}
