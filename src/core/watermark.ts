/**
 * The distill watermark, `state.json` = {"last_run": ISO}. Parsing is pure: the adapters that read and
 * write the file (local path, or a file in the repository) share it.
 */
import { z } from 'zod';
import { formatTimestamp, parseTimestamp, type EpochMicros } from './time.js';

export interface WatermarkState {
  /** null on a first run, or when the stored state could not be used. */
  lastRun: EpochMicros | null;
  /** Set when the state existed but was unusable: the caller shows it as a warning. */
  warning: string | null;
}

const StateSchema = z.looseObject({ last_run: z.string().optional() });

/**
 * `text` null means no state yet: a first run, silently. With `now`, a `last_run` after it (a clock that ran
 * ahead, a hand edit) is unusable too: every lesson would be older than it and the digest would silently say
 * nothing. Clamping it to `now` would drop the same digest, so it is treated as a first run, with a warning (the
 * digest marker still keeps an already posted digest from being posted again).
 */
export function parseWatermarkState(text: string | null, where: string, now?: EpochMicros): WatermarkState {
  if (text === null) return { lastRun: null, warning: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { lastRun: null, warning: `${where} is not valid JSON; treating this as a first run` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { lastRun: null, warning: `${where} is not a JSON object; treating this as a first run` };
  }
  const state = StateSchema.safeParse(value);
  if (!state.success || state.data.last_run === undefined) {
    return { lastRun: null, warning: `${where} has no string "last_run"; treating this as a first run` };
  }
  const lastRun = parseTimestamp(state.data.last_run);
  if (lastRun === null) {
    return {
      lastRun: null,
      warning: `${where}: last_run '${state.data.last_run}' is not an ISO timestamp; treating this as a first run`,
    };
  }
  if (now !== undefined && lastRun > now) {
    return {
      lastRun: null,
      warning: `${where}: last_run '${state.data.last_run}' is in the future (now is ${formatTimestamp(now)}); treating this as a first run`,
    };
  }
  return { lastRun, warning: null };
}

export function serializeWatermarkState(lastRun: EpochMicros): string {
  return JSON.stringify({ last_run: formatTimestamp(lastRun) }, null, 2) + '\n';
}
