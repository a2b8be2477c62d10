/**
 * Explicit lessons: a comment that states a lesson in one of three documented syntaxes
 * (docs/lesson-syntax.md):
 *
 *   Lesson: <one-line rule>
 *
 *   ```lesson
 *   key: bash-quote-vars        (optional; any of key/type/skill/confidence/files/tags)
 *   type: pitfall
 *   Always quote variable expansions in bash: "$var", not $var.
 *   ```
 *
 *   ```pr-retro
 *   {"version": 1, "lessons": [{"insight": "...", "key": "...", "type": "pattern", ...}]}
 *   ```
 */
import { z } from 'zod';
import { LESSON_SOURCES, LESSON_TYPES, type LessonSource, type LessonType } from '../core/lesson.js';
import {
  decodeEntities,
  extractFences,
  repairMojibake,
  stripDetails,
  stripHtmlComments,
  stripInline,
} from './clean.js';
import { stripInvisible } from '../core/guard.js';

export type ExplicitSyntax = 'lesson-line' | 'lesson-block' | 'pr-retro';

export interface ExplicitLesson {
  syntax: ExplicitSyntax;
  /** Position among the explicit lessons of its comment: part of the lesson id. */
  index: number;
  insight: string;
  key?: string;
  type?: LessonType;
  skill?: string;
  confidence?: number;
  files?: string[];
  tags?: string[];
  /** pr-retro only: the source the agent recorded (default `observed`). */
  source?: LessonSource;
  retrospective_id?: string;
  agent_type?: string;
  /** Fields that were present but unusable (e.g. an unknown type), ignored with a note. */
  notes: string[];
}

export interface ExplicitParse {
  lessons: ExplicitLesson[];
  /** Blocks that could not be read at all (bad pr-retro JSON, a lesson block without text). */
  errors: string[];
}

/** Upper bound on explicit lessons read from one comment: a comment is not a bulk-import channel. */
export const MAX_EXPLICIT_PER_COMMENT = 20;

// At the start of a line (after a list marker), or after the end of a sentence on it ("Good fix. Lesson: …").
const LESSON_LINE =
  /(?:^\s*(?:[-*+]\s+)?|[.!?]\s+)(?:\*\*|__)?lesson(?:\s+learned)?(?:\*\*|__)?\s*:\s*(?:(?:\*\*|__)\s*)?(\S.*)$/i;

const FIELD = /^\s*(key|type|skill|confidence|files|tags|insight)\s*:\s*(.*)$/i;

function asType(value: string, notes: string[]): LessonType | undefined {
  const v = value.trim().toLowerCase();
  if ((LESSON_TYPES as readonly string[]).includes(v)) return v as LessonType;
  if (v) notes.push(`unknown type "${value.trim()}" ignored`);
  return undefined;
}

function asConfidence(value: unknown, notes: string[]): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= 10) return n;
  if (value !== undefined && value !== '')
    notes.push(
      `confidence "${typeof value === 'string' ? value : JSON.stringify(value)}" ignored (a whole number 1-10)`,
    );
  return undefined;
}

function asList(value: string): string[] {
  return value
    .split(/[,\s]+/)
    .map((s) => s.trim().replace(/^`|`$/g, ''))
    .filter(Boolean);
}

function oneLine(text: string): string {
  // One maximal blank run per match (a `\s*\n` scan from every blank would be quadratic on long runs).
  return stripInline(text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run))).trim();
}

/** Parses one ```lesson block; several lessons may be separated by a line of `---`. */
function parseLessonBlock(body: string, errors: string[]): Omit<ExplicitLesson, 'index'>[] {
  const out: Omit<ExplicitLesson, 'index'>[] = [];
  // Horizontal blanks only: `^\s*` with /m would rescan every following blank line from each line start.
  for (const part of body.split(/^[^\S\n]*-{3,}[^\S\n]*$/m)) {
    if (!part.trim()) continue;
    const notes: string[] = [];
    const fields: Record<string, string> = {};
    const free: string[] = [];
    for (const line of part.split('\n')) {
      const m = FIELD.exec(line);
      if (m) {
        const name = m[1]!.toLowerCase();
        if (name === 'insight') {
          if (m[2]!.trim()) free.push(m[2]!);
        } else {
          fields[name] = m[2]!;
        }
        continue;
      }
      if (line.trim()) free.push(line);
    }
    const insight = oneLine(free.join('\n'));
    if (!insight) {
      errors.push('lesson block without insight text');
      continue;
    }
    const lesson: Omit<ExplicitLesson, 'index'> = { syntax: 'lesson-block', insight, notes };
    if (fields.key?.trim()) lesson.key = fields.key.trim();
    if (fields.type !== undefined) {
      const t = asType(fields.type, notes);
      if (t) lesson.type = t;
    }
    if (fields.skill?.trim()) lesson.skill = fields.skill.trim();
    if (fields.confidence !== undefined) {
      const c = asConfidence(fields.confidence, notes);
      if (c !== undefined) lesson.confidence = c;
    }
    if (fields.files?.trim()) lesson.files = asList(fields.files);
    if (fields.tags?.trim()) lesson.tags = asList(fields.tags);
    out.push(lesson);
  }
  return out;
}

const RetroLessonSchema = z.looseObject({
  insight: z.string(),
  key: z.string().optional(),
  type: z.string().optional(),
  skill: z.string().nullable().optional(),
  confidence: z.union([z.number(), z.string()]).optional(),
  source: z.string().optional(),
  files: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
});

const RetroSchema = z.looseObject({
  version: z.union([z.literal(1), z.literal('1')]).optional(),
  retrospective_id: z.string().optional(),
  agent_type: z.string().optional(),
  lessons: z.array(RetroLessonSchema),
});

function parseRetroBlock(body: string, errors: string[]): Omit<ExplicitLesson, 'index'>[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    errors.push(`pr-retro block is not valid JSON (${(e as Error).message.split('\n')[0]})`);
    return [];
  }
  const parsed = RetroSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    errors.push(`pr-retro block: ${issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'invalid'}`);
    return [];
  }
  const retro = parsed.data;
  return retro.lessons.map((l) => {
    const notes: string[] = [];
    const lesson: Omit<ExplicitLesson, 'index'> = { syntax: 'pr-retro', insight: oneLine(l.insight), notes };
    if (l.key?.trim()) lesson.key = l.key.trim();
    if (l.type !== undefined) {
      const t = asType(l.type, notes);
      if (t) lesson.type = t;
    }
    if (l.skill?.trim()) lesson.skill = l.skill.trim();
    const c = asConfidence(l.confidence, notes);
    if (c !== undefined) lesson.confidence = c;
    if (l.source !== undefined) {
      const s = l.source.trim().toLowerCase();
      if ((LESSON_SOURCES as readonly string[]).includes(s)) lesson.source = s as LessonSource;
      else notes.push(`unknown source "${l.source}" ignored`);
    }
    if (l.files?.length) lesson.files = l.files.map((f) => f.trim()).filter(Boolean);
    if (l.tags?.length) lesson.tags = l.tags.map((t) => t.trim()).filter(Boolean);
    if (retro.retrospective_id) lesson.retrospective_id = retro.retrospective_id;
    if (retro.agent_type) lesson.agent_type = retro.agent_type;
    return lesson;
  });
}

/**
 * Reads the explicit lessons of one comment body. Quoted lines (`>`), HTML comments and `<details>`
 * blocks are not read: a lesson has to be visible, and quoting someone else's lesson does not restate it.
 */
export function parseExplicit(raw: string): ExplicitParse {
  const errors: string[] = [];
  const found: Omit<ExplicitLesson, 'index'>[] = [];
  // <details> goes before fences are taken out: a lesson block folded away is not visible either.
  const text = stripDetails(stripHtmlComments(stripInvisible(repairMojibake(raw)).replace(/\r\n?/g, '\n')));
  const { text: prose, fences } = extractFences(text);
  for (const line of decodeEntities(prose).split('\n')) {
    if (/^\s*>/.test(line)) continue;
    const m = LESSON_LINE.exec(line);
    if (!m) continue;
    const insight = oneLine(m[1]!);
    if (insight) found.push({ syntax: 'lesson-line', insight, notes: [] });
  }
  for (const f of fences) {
    if (f.lang === 'lesson') found.push(...parseLessonBlock(decodeEntities(f.body), errors));
    else if (f.lang === 'pr-retro') found.push(...parseRetroBlock(f.body, errors));
  }
  if (found.length > MAX_EXPLICIT_PER_COMMENT)
    errors.push(`only the first ${MAX_EXPLICIT_PER_COMMENT} explicit lessons of a comment are read`);
  return { lessons: found.slice(0, MAX_EXPLICIT_PER_COMMENT).map((l, index) => ({ ...l, index })), errors };
}

/** Does the body use an explicit syntax at all (even a broken one)? Cheap pre-check. */
export function mentionsExplicit(raw: string): boolean {
  // Linear: blanks are matched within a line ([^\S\r\n]), so no start rescans the blank lines after it; a
  // superset of what parseExplicit reads (it may say yes where the parse then finds nothing, never the reverse).
  return /(?:^|[\n\r.!?])[^\S\r\n]*(?:[-*+][^\S\r\n]+)?(?:\*\*|__)?lesson(?:[^\S\r\n]+learned)?(?:\*\*|__)?[^\S\r\n]*:|(?:^|[\n\r])[^\S\r\n]*(?:`{3,}|~{3,})[^\S\r\n]*(?:lesson|pr-retro)\b/i.test(
    stripInvisible(raw),
  );
}
