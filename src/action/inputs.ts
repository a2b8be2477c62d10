import { z } from 'zod';
import { parseSince } from '../core/time.js';
import { describeZodError } from '../core/zodError.js';

export const MODES = ['capture', 'distill', 'promote-tiers', 'weekly', 'feedback'] as const;
export type Mode = (typeof MODES)[number];

const boolText = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['true', 'false'], { message: "must be 'true' or 'false'" }))
  .transform((s) => s === 'true');

const wholeNumber = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

const loginList = z.string().transform((s) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean),
);

/** The action's inputs as the runner hands them over (strings), validated once. Names match action.yml. */
export const ActionInputsSchema = z.object({
  mode: z.enum(MODES, { message: `mode must be one of ${MODES.join(', ')}` }),
  'github-token': z.string().default(''),
  storage: z.enum(['artifact', 'file'], { message: "storage must be 'artifact' or 'file'" }).default('artifact'),
  'db-path': z.string().min(1).default('.mycelium/lessons.db'),
  'artifact-name': z.string().min(1).default('mycelium-lessons-db'),
  'retention-days': wholeNumber('retention-days', 1, 400).optional(),
  'state-branch': z.string().min(1).default('mycelium-state'),
  'state-path': z.string().min(1).default('state.json'),
  since: z
    .string()
    .default('90d')
    .refine((s) => {
      try {
        parseSince(s, 0);
        return true;
      } catch {
        return false;
      }
    }, 'since must be <N>d (e.g. 90d) or an ISO 8601 timestamp'),
  'min-cluster': wholeNumber('min-cluster', 2).default(3),
  similarity: z.enum(['review', 'seed'], { message: "similarity must be 'review' or 'seed'" }).default('review'),
  labels: loginList.default(['mycelium']),
  'dry-run': boolText.default(false),
  'catch-up-days': wholeNumber('catch-up-days', 0, 400).default(14),
  'catch-up-max-prs': wholeNumber('catch-up-max-prs', 1, 10_000).default(1000),
  'pr-number': wholeNumber('pr-number', 1).optional(),
  'max-lessons': wholeNumber('max-lessons', 0, 5).default(5),
  'trust-contributors': boolText.default(false),
  'allow-users': loginList.default([]),
  'deny-users': loginList.default([]),
  'ai-reviewers': loginList.default([]),
  bots: loginList.default([]),
  'agent-logins': loginList.default([]),
  'no-lessons-label': z.string().min(1).default('no-lessons'),
  project: z.string().default(''),
  'conventions-file': z.string().min(1).default('AGENTS.md'),
  'conventions-branch': z.string().min(1).default('mycelium/conventions'),
});
export type ActionInputs = z.output<typeof ActionInputsSchema>;

/** `get` returns '' for an input that was not given, as @actions/core's getInput does. */
export function readActionInputs(get: (name: string) => string): ActionInputs {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(ActionInputsSchema.shape)) {
    const value = get(name);
    if (value !== '') raw[name] = value;
  }
  if (raw['mode'] === undefined) throw new Error(`input 'mode' is required (one of ${MODES.join(', ')})`);
  const parsed = ActionInputsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(describeZodError(parsed.error, 'action inputs'));
  return parsed.data;
}
