/** Shared test fixtures: a fixed clock, row builders, temp dirs and an in-process CLI runner. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HarvestedLesson, HarvestRow } from '../../src/core/distill.js';
import { formatTimestamp, parseTimestamp } from '../../src/core/time.js';
import { runCli } from '../../src/cli/commands.js';

export const US_PER_DAY = 86_400_000_000;

/** The fixed clock every test uses: 2026-03-15T12:00:00Z, in epoch microseconds. */
export const NOW_ISO = '2026-03-15T12:00:00Z';
export const NOW = parseTimestamp(NOW_ISO)!;

export function daysAgo(days: number, from: number = NOW): string {
  return formatTimestamp(from - Math.round(days * US_PER_DAY));
}

let seq = 0;
/** A lessons row as the store hands it to harvest. */
export function row(over: Partial<HarvestRow> = {}): HarvestRow {
  seq++;
  return {
    id: `L${seq}`,
    ts: daysAgo(10),
    project: 'acme/app',
    skill: null,
    type: 'pattern',
    key: `bash-k${seq}`,
    insight: 'Use git -C <dir> instead of cd <dir> && git in shell scripts',
    confidence: 8,
    retro_pr: 101,
    tags: '[]',
    retired_at: null,
    ...over,
  };
}

/** A harvested lesson (what cluster/score work on). */
export function harvested(over: Partial<HarvestedLesson> & { id: string }): HarvestedLesson {
  const ts = over.ts ?? daysAgo(10);
  return {
    ts,
    tsMicros: parseTimestamp(ts)!,
    project: 'acme/app',
    skill: null,
    type: 'pattern',
    key: `bash-${over.id}`,
    insight: 'Use git -C <dir> instead of cd <dir> && git in shell scripts',
    confidence: 8,
    retro_pr: 101,
    ...over,
  };
}

export function makeTempDir(prefix = 'mycelium-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in process with captured output; the clock is {@link NOW} unless --now says otherwise. */
export async function cli(argv: string[], now: number = NOW): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => now,
  });
  return { code, stdout, stderr };
}

/** Three `bash-cd-*` lessons as SPEC §8's end-to-end case has them: PRs 101–103, confidence 8, 8, 7. */
export const BASH_CD_LESSONS = [
  {
    key: 'bash-cd-git-c',
    pr: 101,
    confidence: 8,
    insight: 'In shell scripts use git -C <dir> instead of cd <dir> && git, so a failed cd cannot run git in the wrong repository',
  },
  {
    key: 'bash-cd-subshell',
    pr: 102,
    confidence: 8,
    insight: 'Do not cd in shell scripts without checking it: use git -C <dir> or a subshell so git never runs in the wrong directory',
  },
  {
    key: 'bash-cd-errexit',
    pr: 103,
    confidence: 7,
    insight: 'A bare cd in shell scripts silently continues in the wrong directory when it fails; prefer git -C <dir> for git commands',
  },
] as const;
