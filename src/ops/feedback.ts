/**
 * Mode `feedback` (SPEC §10): a comment on the digest issue decides on candidates.
 *
 * 1. Only a new comment (`issue_comment` `created`) on an issue whose first line is a digest marker, holding
 *    at least one `/mycelium` command, from a person (not a bot), counts. Anything else ends the run quietly.
 * 2. A reply to this comment already on the issue (its hidden marker) means it was handled: nothing happens.
 * 3. The commenter's permission comes from the API (`write`, `maintain`, `admin`); anyone else gets one polite
 *    reply and nothing changes.
 * 4. The commands are applied to the decision state (database ∪ `decisions.json`): accept and reject by the
 *    digest's numbers, retire by lesson id (its `retired_at` is set). Decisions carry the comment's own time,
 *    so a re-run records the same decisions again, which merge away.
 * 5. Accepted rules go into the conventions file through the one PR (created, or updated in place); a rule a
 *    person removed from the file is not written again.
 * 6. The database is saved, `decisions.json` updated, and Mycelium answers in one comment.
 *
 * The digest's numbering is the one recorded when the digest was posted ({@link recordDigestIndex}); a digest
 * whose record is gone is renumbered from the JSON in its body, which the renderer screens the same way.
 */
import { z } from 'zod';
import { COMMANDS_HELP, parseCommands, type Command } from '../core/commands.js';
import { parseConventionsTarget, writeConventions, type ConventionsTarget } from '../core/conventions.js';
import {
  acceptedRules,
  emptyDecisionState,
  mergeDecisionStates,
  parseDecisionState,
  retiredLessonIds,
  serializeDecisionState,
  suppressDecided,
  withDigest,
  type Decision,
  type DecisionState,
} from '../core/conventionsDecisions.js';
import { digestId, indexEntry, parseIndexComment, screenReport, type DigestIndexEntry } from '../core/digestIssue.js';
import type { DigestReport } from '../core/distill.js';
import { codeSpan, escapeText, inlineMarkdown, oneLine, clipText } from '../core/safeMarkdown.js';
import type { ConventionsProposal, FeedbackPorts, LessonRepository, Logger, RepoPermission } from '../ports/index.js';
import { withDatabase, type Operation, type Run } from './run.js';

const DIGEST_MARKER = /^<!-- mycelium-digest:(dg-[0-9a-f]{16}) -->$/;
const WRITERS: ReadonlySet<RepoPermission> = new Set(['admin', 'maintain', 'write']);

export function replyMarker(commentId: number | string): string {
  return `<!-- mycelium-reply:${commentId} -->`;
}

const IssueCommentEventSchema = z.looseObject({
  action: z.string(),
  issue: z.looseObject({
    number: z.number().int().positive(),
    body: z.string().nullable().optional(),
    html_url: z.string().optional(),
    pull_request: z.unknown().optional(),
  }),
  comment: z.looseObject({
    id: z.number().int().positive(),
    body: z.string().nullable().optional(),
    html_url: z.string(),
    created_at: z.string(),
    user: z.looseObject({ login: z.string(), type: z.string().optional() }).nullable(),
  }),
});
type IssueCommentEvent = z.infer<typeof IssueCommentEventSchema>;

// ---------------------------------------------------------------------------------------------
// Decision state: database ∪ decisions.json
// ---------------------------------------------------------------------------------------------

export async function loadDecisionState(store: Pick<LessonRepository, 'decisionState'> | null, ports: FeedbackPorts | undefined, log: Logger): Promise<DecisionState> {
  let state = store ? store.decisionState() : emptyDecisionState();
  if (ports) {
    const parsed = parseDecisionState(await ports.decisions.read(), ports.decisions.describe);
    if (parsed.warning) log.warning(parsed.warning);
    state = mergeDecisionStates(state, parsed.state);
  }
  return state;
}

export async function saveDecisionFile(ports: FeedbackPorts, state: DecisionState): Promise<void> {
  await ports.decisions.update((current) => serializeDecisionState(mergeDecisionStates(parseDecisionState(current, ports.decisions.describe).state, state)));
}

// ---------------------------------------------------------------------------------------------
// Hooks of the weekly run
// ---------------------------------------------------------------------------------------------

/**
 * Before distill: the decisions, with every retired lesson retired in this database too (a database rebuilt
 * from an expired artifact recaptures them).
 */
export async function decisionsForDistill(run: Run, store: LessonRepository): Promise<DecisionState> {
  const state = await loadDecisionState(store, run.ports.feedback, run.log);
  const retired = store.retireLessons(retiredLessonIds(state), run.nowIso, 'retired by the team (/mycelium retire)');
  if (retired.length) run.summary.push(`Retired again (decided earlier): ${retired.length} lessons`);
  return state;
}

/** After scoring: candidates that repeat a decided one are left out, and counted in the summary. */
export function withoutDecided(run: Run, report: DigestReport, state: DecisionState): DigestReport {
  const s = suppressDecided(report, state);
  if (s.rejected) run.summary.push(`Not proposed again: ${s.rejected} candidates made mostly of a rejected candidate's lessons`);
  if (s.accepted) run.summary.push(`Not proposed again: ${s.accepted} candidates already accepted`);
  return s.report;
}

/** After posting: the digest's numbering, so `/mycelium accept 2` means what the issue shows. */
export async function recordDigestIndex(run: Run, report: DigestReport): Promise<void> {
  const ports = run.ports.feedback;
  if (!ports || report.candidates.length === 0) return;
  const { screened } = screenReport(report);
  const index = screened.map((s, i) => indexEntry(s, i + 1));
  await ports.decisions.update((current) => {
    const state = parseDecisionState(current, ports.decisions.describe).state;
    return serializeDecisionState(withDigest(state, digestId(report), index));
  });
}

// ---------------------------------------------------------------------------------------------
// The digest a comment is on
// ---------------------------------------------------------------------------------------------

const BodyReportSchema = z.looseObject({
  candidates: z.array(
    z.looseObject({
      candidate_id: z.string(),
      title: z.string(),
      recurrence_pr_count: z.number(),
      has_new_evidence: z.boolean(),
      cluster: z.looseObject({
        cluster_id: z.string(),
        lesson_ids: z.array(z.string()),
        member_keys: z.array(z.string()),
        types: z.array(z.string()),
        retro_prs: z.array(z.number()),
        subject_skills: z.array(z.string()),
        avg_confidence: z.number(),
        representative_insight: z.string(),
        member_lessons: z.array(z.looseObject({ id: z.string(), key: z.string(), type: z.string(), insight: z.string(), confidence: z.number(), retro_pr: z.number().nullable() })),
      }),
    }),
  ),
});

/** The numbering from the JSON block of a digest body (the renderer's screening, again), or null. */
export function indexFromBody(body: string): DigestIndexEntry[] | null {
  const m = /^(`{3,})json\n([\s\S]*?)\n\1$/m.exec(body);
  if (!m) return null;
  let value: unknown;
  try {
    value = JSON.parse(m[2]!);
  } catch {
    return null;
  }
  const parsed = BodyReportSchema.safeParse(value);
  if (!parsed.success) return null;
  const { screened } = screenReport(parsed.data as unknown as DigestReport);
  return screened.map((s, i) => indexEntry(s, i + 1));
}

function digestIndex(state: DecisionState, id: string, body: string): Map<number, DigestIndexEntry> {
  const recorded = state.digests[id] ?? indexFromBody(body) ?? [];
  const byNumber = new Map(recorded.map((e) => [e.number, e]));
  // The hidden line of the body names the candidate behind each shown number: trust it over a stale record.
  for (const [n, candidate] of parseIndexComment(body)) {
    const e = byNumber.get(n);
    if (e && e.candidate_id !== candidate) byNumber.delete(n);
  }
  return byNumber;
}

// ---------------------------------------------------------------------------------------------
// Applying commands
// ---------------------------------------------------------------------------------------------

interface Applied {
  state: DecisionState;
  lines: string[];
  accepted: number;
  retired: string[];
}

function applyCommands(
  commands: readonly Command[],
  state: DecisionState,
  index: ReadonlyMap<number, DigestIndexEntry>,
  who: { login: string; at: string; url: string },
  store: LessonRepository,
): Applied {
  const decisions: Decision[] = [...state.decisions];
  const lines: string[] = [];
  const retired: string[] = [];
  let accepted = 0;
  const latest = (subject: string): Decision | undefined => [...decisions].reverse().find((d) => d.subject === subject && d.decision !== 'retire');
  const base = { by: who.login, at: who.at, comment_url: who.url };
  for (const c of commands) {
    if (c.verb === 'help') {
      lines.push('Commands:', ...COMMANDS_HELP.map((h) => `- ${h}`));
      continue;
    }
    if (c.verb === 'invalid') {
      lines.push(`- ${codeSpan(clipText(c.line, 100))}: not done, ${escapeText(c.problem)}.`);
      continue;
    }
    if (c.verb === 'retire') {
      const known = store.hasLesson(c.lessonId);
      if (!known) {
        lines.push(`- retire ${codeSpan(c.lessonId)}: no such lesson in the database; nothing retired.`);
        continue;
      }
      decisions.push({ ...base, subject: c.lessonId, decision: 'retire', lesson_ids: [c.lessonId], reason: c.reason, title: null, rule: null, prs: [] });
      const now = store.retireLessons([c.lessonId], who.at, c.reason || `retired by ${who.login}`);
      retired.push(...now);
      lines.push(`- Retired lesson ${codeSpan(c.lessonId)}${now.length ? '' : ' (it was retired already)'}: no later digest reads it.`);
      continue;
    }
    for (const n of c.numbers) {
      const entry = index.get(n);
      if (!entry) {
        lines.push(`- ${c.verb} ${n}: this digest has no candidate ${n}; nothing changed.`);
        continue;
      }
      const before = latest(entry.candidate_id);
      const title = inlineMarkdown(entry.title, 80);
      if (before?.decision === c.verb) {
        lines.push(`- ${c.verb === 'accept' ? 'Accepted' : 'Rejected'} already: ${n}. ${title}.`);
        if (c.verb === 'accept') accepted++;
        continue;
      }
      decisions.push({
        ...base,
        subject: entry.candidate_id,
        decision: c.verb,
        lesson_ids: entry.lesson_ids,
        reason: c.verb === 'reject' ? c.reason : '',
        title: entry.title,
        rule: entry.rule,
        prs: entry.prs,
      });
      if (c.verb === 'accept') {
        accepted++;
        lines.push(`- Accepted ${n}. ${title}: ${inlineMarkdown(entry.rule, 300)}`);
      } else {
        const why = c.reason ? ` (${inlineMarkdown(c.reason, 200)})` : '';
        lines.push(`- Rejected ${n}. ${title}${why}: it will not be proposed again.${before?.decision === 'accept' ? ' It was accepted before; if it is already in the conventions file, remove it there.' : ''}`);
      }
    }
  }
  return { state: { ...state, decisions }, lines, accepted, retired };
}

function prBody(rules: ReturnType<typeof acceptedRules>, file: string, issueUrl: string | undefined): string {
  const lines = [
    `Conventions this team accepted in Mycelium's digest${issueUrl ? ` (${issueUrl})` : ''}, written to ${codeSpan(file)} inside Mycelium's marked block; the rest of the file is unchanged.`,
    '',
    ...rules.map((r) => `- **${inlineMarkdown(r.title, 80)}**: ${inlineMarkdown(r.text, 300)}`),
    '',
    'Edit or remove a rule in this branch before merging: Mycelium keeps your edits and does not add a removed rule back. This pull request is updated when more candidates are accepted.',
  ];
  return lines.join('\n');
}

async function writeAccepted(
  ports: FeedbackPorts,
  target: ConventionsTarget,
  state: DecisionState,
  repository: string,
  issueUrl: string | undefined,
): Promise<{ state: DecisionState; proposal: ConventionsProposal | null; lines: string[] }> {
  const rules = acceptedRules(state);
  if (rules.length === 0) return { state, proposal: null, lines: [] };
  const current = await ports.conventions.read(target.path);
  const written = new Set(state.written[target.path] ?? []);
  const result = writeConventions(current, target, rules, { repository, serverUrl: ports.serverUrl, written });
  const lines: string[] = [];
  if (result.removedByPerson.length) lines.push(`- Not written again: ${result.removedByPerson.length} accepted rule(s) a person removed from ${codeSpan(target.path)}.`);
  if (result.refused.length) lines.push(`- Held back by the guard: ${result.refused.length} rule(s); they are not written.`);
  const nextState = { ...state, written: { ...state.written, [target.path]: [...new Set([...written, ...result.inBlock])] } };
  if (!result.changed) return { state: nextState, proposal: null, lines };
  const proposal = await ports.conventions.propose({
    path: target.path,
    text: result.text,
    title: `Mycelium: ${rules.length} convention${rules.length === 1 ? '' : 's'} from code review`,
    body: prBody(rules, target.path, issueUrl),
    message: `mycelium: write ${result.added.length} accepted convention(s) to ${target.path}`,
  });
  return { state: nextState, proposal, lines };
}

// ---------------------------------------------------------------------------------------------
// The operation
// ---------------------------------------------------------------------------------------------

/** A reply line as plain text for the job summary (which escapes HTML itself): no entities, escapes or joiners. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\\([\\`*_[\]|~#$!])/g, '$1')
    .replace(/\u200d/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function quiet(run: Run, why: string): void {
  run.log.info(why);
  run.summary.push(`Feedback: ${why}`);
  run.setOutput('feedback-action', 'ignored');
}

export const feedbackOperation: Operation = async (run) => {
  const ports = run.ports.feedback;
  if (!ports) throw new Error('mode feedback has no GitHub ports in this run');
  if (ports.event.name !== 'issue_comment') {
    throw new Error(`mode feedback runs on issue_comment events (a workflow 'on: issue_comment: types: [created]'); this run's event is '${ports.event.name}'`);
  }
  const parsed = IssueCommentEventSchema.safeParse(ports.event.payload);
  if (!parsed.success) throw new Error(`the issue_comment event payload is not one GitHub sends: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const event: IssueCommentEvent = parsed.data;
  if (event.action !== 'created') return quiet(run, `comment ${event.action}, not created: nothing to do`);
  if (event.issue.pull_request) return quiet(run, 'a comment on a pull request, not on a digest issue: nothing to do');
  const firstLine = (event.issue.body ?? '').split(/\r?\n/, 1)[0]!.trim();
  const marker = DIGEST_MARKER.exec(firstLine);
  if (!marker) return quiet(run, `issue #${event.issue.number} is not a Mycelium digest: nothing to do`);
  const commands = parseCommands(event.comment.body);
  if (commands.length === 0) return quiet(run, 'the comment holds no /mycelium command: nothing to do');
  const user = event.comment.user;
  if (!user || user.type === 'Bot' || /\[bot\]$/.test(user.login)) return quiet(run, 'a comment by a bot: nothing to do');

  const issue = event.issue.number;
  const mark = replyMarker(event.comment.id);
  if ((await ports.thread.commentBodies(issue)).some((b) => b.startsWith(mark))) {
    run.summary.push(`Feedback: comment ${event.comment.id} was answered already; nothing changed`);
    run.setOutput('feedback-action', 'already-handled');
    return;
  }
  const who = escapeText(oneLine(user.login));
  const permission = await ports.thread.permission(user.login);
  if (!WRITERS.has(permission)) {
    const body = [
      mark,
      `Thanks, ${who}. Mycelium acts on commands from people with write access to this repository, and your access here is ${codeSpan(permission)}, so nothing was changed.`,
      'A maintainer can repeat the command if they agree.',
    ].join('\n\n');
    await ports.thread.reply(issue, body);
    run.summary.push(`Feedback: ${user.login} (${permission}) may not decide; replied, nothing changed`);
    run.setOutput('feedback-action', 'untrusted');
    return;
  }

  const target = parseConventionsTarget(ports.conventionsFile);
  const { result } = await withDatabase(run, async (db) => {
    let state = await loadDecisionState(db.store, ports, run.log);
    const again = state.processed_comments.includes(String(event.comment.id));
    const index = digestIndex(state, marker[1]!, event.issue.body ?? '');
    const applied = applyCommands(commands, state, index, { login: user.login, at: event.comment.created_at, url: event.comment.html_url }, db.store);
    state = applied.state;
    const written = await writeAccepted(ports, target, state, run.repository, event.issue.html_url);
    state = { ...written.state, processed_comments: [...new Set([...state.processed_comments, String(event.comment.id)])] };
    db.store.saveDecisionState(state);
    return { state, applied, written, again };
  });
  await saveDecisionFile(ports, result.state);

  const { applied, written } = result;
  const lines = [mark, `Done, ${who}:`, '', ...applied.lines, ...written.lines];
  const p = written.proposal;
  if (p?.url) lines.push('', `${p.action === 'created' ? 'Opened' : p.action === 'updated' ? 'Updated' : 'Unchanged:'} the conventions pull request: ${p.url} (${codeSpan(target.path)}).`);
  else if (p?.action === 'dry-run') lines.push('', `Dry run: the conventions pull request for ${codeSpan(target.path)} was not opened or updated.`);
  else if (applied.accepted > 0) lines.push('', `The accepted rules are already in ${codeSpan(target.path)}${p === null ? ' (or its pull request)' : ''}.`);
  const reply = lines.join('\n');
  const url = await ports.thread.reply(issue, reply);
  run.summary.push(
    `Feedback on issue #${issue} by ${user.login} (${permission}): ${commands.length} command(s)`,
    ...[...applied.lines, ...written.lines].map(plainText),
    p ? `Conventions PR: ${p.action}${p.url ? ` ${p.url}` : ''}` : 'Conventions PR: no change',
    url ? `Reply: ${url}` : 'Reply not posted (dry run)',
  );
  run.setOutput('feedback-action', 'applied');
  if (p?.number) run.setOutput('conventions-pr-number', p.number);
  if (p?.url) run.setOutput('conventions-pr-url', p.url);
};
