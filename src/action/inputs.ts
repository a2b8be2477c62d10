import { z } from 'zod';
import { parseSince } from '../core/time.js';
import { describeZodError } from '../core/zodError.js';

export const MODES = ['distill', 'promote-tiers'] as const;

const boolText = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '']))
  .transform((s) => s === 'true');

/** The action's inputs as the runner hands them over (strings), validated once. */
export const ActionInputsSchema = z.object({
  mode: z.enum(MODES, { message: `mode must be one of ${MODES.join(', ')}` }),
  'github-token': z.string().default(''),
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
  'min-cluster': z
    .string()
    .default('3')
    .pipe(z.string().regex(/^\d+$/, 'min-cluster must be a whole number'))
    .transform(Number)
    .pipe(z.number().int().min(2, 'min-cluster must be at least 2')),
  'dry-run': boolText.default(false),
  'db-path': z.string().min(1).default('.mycelium/lessons.db'),
  'watermark-path': z.string().min(1).default('.mycelium/state.json'),
  'archive-dir': z.string().min(1).default('.mycelium/archive'),
  project: z.string().default(''),
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
