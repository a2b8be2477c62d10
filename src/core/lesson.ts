import { z } from 'zod';
import { promptInjectionReason } from './guard.js';
import { parseOrThrow } from './zodError.js';

/** The lesson vocabulary of mycelium's `lessons` table (docs/architecture.md, "The lessons table"). */
export const LESSON_TYPES = [
  'pattern',
  'pitfall',
  'preference',
  'architecture',
  'tool',
  'operational',
  'investigation',
] as const;
export type LessonType = (typeof LESSON_TYPES)[number];

export const LESSON_SOURCES = ['observed', 'user-stated', 'inferred', 'cross-model'] as const;
export type LessonSource = (typeof LESSON_SOURCES)[number];

export const TIERS = ['working', 'hot', 'cold', 'archival'] as const;
export type Tier = (typeof TIERS)[number];

export const KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

/** A full row of the lessons table, as this project writes it. */
export interface Lesson {
  id: string;
  ts: string;
  project: string;
  skill: string | null;
  type: LessonType;
  key: string;
  insight: string;
  confidence: number;
  source: LessonSource;
  trusted: 0 | 1;
  files: string[];
  handover_id: string | null;
  retrospective_id: string | null;
  retro_pr: number | null;
  device: string | null;
  agent_type: string;
  source_bot: string | null;
  tags: string[];
  tier: Tier;
  last_accessed_at: string | null;
  access_count: number;
  archived_path: string | null;
  retired_at: string | null;
  retired_reason: string | null;
  superseded_by: string | null;
}

const jsonStringArray = (where: string) =>
  z.string().transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value)) return value.map((v) => String(v));
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: 'custom', message: `${where} is not a JSON array` });
    return z.NEVER;
  });

/** Validates a new lesson before it is written: the table's CHECK-like rules, stated once. */
export const NewLessonSchema = z.object({
  id: z.string().min(1),
  ts: z.string().min(1),
  project: z.string().min(1),
  skill: z.string().min(1).nullable().default(null),
  type: z.enum(LESSON_TYPES),
  key: z.string().regex(KEY_PATTERN, 'key must match [A-Za-z0-9_-]+ (no spaces)'),
  insight: z
    .string()
    .refine((s) => s.trim().length >= 10, 'insight must be at least 10 characters')
    .superRefine((s, ctx) => {
      const reason = promptInjectionReason(s);
      if (reason) ctx.addIssue({ code: 'custom', message: `insight looks like a prompt injection (${reason})` });
    }),
  confidence: z.number().int().min(1).max(10),
  source: z.enum(LESSON_SOURCES),
  files: z.array(z.string()).default([]),
  handover_id: z.string().nullable().default(null),
  retrospective_id: z.string().nullable().default(null),
  retro_pr: z.number().int().nullable().default(null),
  device: z.string().nullable().default(null),
  agent_type: z.string().min(1).default('claude'),
  source_bot: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  tier: z.enum(TIERS).default('working'),
  last_accessed_at: z.string().nullable().default(null),
  access_count: z.number().int().min(0).default(0),
  archived_path: z.string().nullable().default(null),
  retired_at: z.string().nullable().default(null),
  retired_reason: z.string().nullable().default(null),
  superseded_by: z.string().nullable().default(null),
});
export type NewLesson = z.input<typeof NewLessonSchema>;

/** `trusted` is derived, never supplied: 1 exactly when a person stated the lesson. */
export function toLesson(input: NewLesson): Lesson {
  const parsed = parseOrThrow(NewLessonSchema, input, `lesson ${String(input.key ?? input.id ?? '')}`.trim());
  return { ...parsed, trusted: parsed.source === 'user-stated' ? 1 : 0 };
}

const nullableText = z.string().nullable();
const nullableInt = z
  .union([z.number(), z.bigint()])
  .transform((v) => Number(v))
  .pipe(z.number().int())
  .nullable();

/**
 * A row as read back from a database we may not have written (mycelium's own, or an older one of ours).
 * Reads are lenient where mycelium is lenient (unknown type or tier strings survive), strict on shape.
 */
export const StoredLessonRowSchema = z.object({
  id: z.string(),
  ts: z.string(),
  project: z.string(),
  skill: nullableText,
  type: z.string(),
  key: z.string(),
  insight: z.string(),
  confidence: z.union([z.number(), z.bigint()]).transform((v) => Number(v)).pipe(z.number().int()),
  source: z.string(),
  trusted: nullableInt.transform((v) => (v === 1 ? 1 : 0)),
  files: jsonStringArray('files'),
  handover_id: nullableText,
  retrospective_id: nullableText,
  retro_pr: nullableInt,
  device: nullableText,
  agent_type: z.string(),
  source_bot: nullableText,
  tags: jsonStringArray('tags'),
  tier: z.string(),
  last_accessed_at: nullableText,
  access_count: nullableInt.transform((v) => v ?? 0),
  archived_path: nullableText,
  retired_at: nullableText,
  retired_reason: nullableText,
  superseded_by: nullableText,
});
export type StoredLesson = z.output<typeof StoredLessonRowSchema>;

/** Mycelium hides parked lessons from reads; `tags` holds them as a JSON array of strings. */
export function isParked(tags: readonly string[]): boolean {
  return tags.includes('parked');
}

/** What capture needs to know of a stored lesson (key reuse, recurrence, recapture); the store reads it. */
export interface ExistingLesson {
  id: string;
  key: string;
  type: string;
  insight: string;
  retro_pr: number | null;
  project: string;
  ts: string;
  confidence: number;
}
