/** Flag validation with zod, reported in plain words: `distill run: --min-cluster must be at least 1`. */
import type { z } from 'zod';
import { plainZodIssue } from '../core/zodError.js';
import { UsageError } from './args.js';

type Issue = z.core.$ZodIssue;

/** A flag's issue in plain words; unknown keys are named as the flags they were. */
export function plainIssue(issue: Issue): string {
  if (issue.code === 'unrecognized_keys' && /^Unrecognized/.test(issue.message))
    return `unknown option ${issue.keys.map((k) => `--${k}`).join(', ')}`;
  return plainZodIssue(issue);
}

export function validateFlags<S extends z.ZodType>(schema: S, flags: Record<string, unknown>, command: string): z.output<S> {
  const parsed = schema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.length ? `--${String(issue.path[0])}` : command;
  throw new UsageError(`${command}: ${flag} ${plainIssue(issue)}`);
}
