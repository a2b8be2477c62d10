import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * zod's own wording ("Too small: expected number to be >=1", "Invalid input: expected string, received
 * undefined") said in plain words; messages our schemas wrote themselves are kept as they are.
 */
export function plainZodIssue(issue: Issue): string {
  const i = issue as Issue & { minimum?: unknown; maximum?: unknown; values?: unknown[]; origin?: string; format?: string; keys?: string[] };
  // zod 4 leaves the input out of its issues; its message still says what it received.
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'is required';
  if (!/^(Too small|Too big|Invalid|Unrecognized)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      if (i.origin === 'string') return Number(i.minimum) === 1 ? 'must not be empty' : `must be at least ${String(i.minimum)} characters`;
      if (i.origin === 'array') return `must have at least ${String(i.minimum)} item${Number(i.minimum) === 1 ? '' : 's'}`;
      return `must be at least ${String(i.minimum)}`;
    case 'too_big':
      if (i.origin === 'string') return `must be at most ${String(i.maximum)} characters`;
      if (i.origin === 'array') return `must have at most ${String(i.maximum)} items`;
      return `must be at most ${String(i.maximum)}`;
    case 'invalid_value':
      return `must be one of ${(i.values ?? []).map(String).join(', ')}`;
    case 'invalid_type':
      return `must be ${plainType(issue.expected)}`;
    case 'invalid_format':
      return `must be a valid ${i.format ?? 'value'}`;
    case 'unrecognized_keys':
      return `has unknown field${(i.keys ?? []).length === 1 ? '' : 's'} ${(i.keys ?? []).join(', ')}`;
    default:
      return 'is not valid';
  }
}

function plainType(expected: string): string {
  const words: Record<string, string> = { number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object' };
  return words[expected] ?? expected;
}

/** One line naming what was wrong and where, in plain words: `where: path.to.field is required`. */
export function describeZodError(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const plain = plainZodIssue(issue);
  const path = issue.path.join('.');
  // A rephrased issue reads as a predicate of the field ("x is required"); our own messages follow a colon.
  const what = !path ? plain : plain !== issue.message ? `${path} ${plain}` : `${path}: ${plain}`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}: ${what}${more}`;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(describeZodError(result.error, where));
  return result.data;
}
