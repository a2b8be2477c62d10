/** `--help` for every command and subcommand, `--version`, and "did you mean" for a mistyped command. */

/** The version bin/mycelium reports; a test checks it equals package.json's. */
export const VERSION = '0.1.0';

export const COMMAND_HELP: Record<string, string> = {
  'distill run': `usage: mycelium distill run --db FILE [--since 90d|ISO] [--project P] [--min-cluster N]
                            [--similarity review|seed] [--now ISO] [--watermark FILE | --no-watermark] [--out FILE]
Distills recurring lessons into skill candidates. Prints a readable digest, or writes the DigestReport
JSON with --out. --similarity review (the default) compares content words of review text; seed counts every word. The watermark (default state.json beside the database) moves to --now afterwards.
`,
  'distill promote-tiers': `usage: mycelium distill promote-tiers --db FILE [--now ISO] [--archive-dir DIR]
Moves lessons between memory tiers; lessons leaving for archival are appended to DIR/YYYY-MM.md first.
`,
  'lessons add': `usage: mycelium lessons add --db FILE --project P --type T --key K --insight TEXT
                            [--confidence 1-10] [--source S] [--skill S] [--files a,b] [--tags a,b]
                            [--retro-pr N] [--id ID] [--now ISO]
Adds one lesson (the database is created when missing); prints its id.
`,
  'lessons list': `usage: mycelium lessons list --db FILE [--project P] [--limit N] [--all] [--json]
Lists lessons, newest first; --all includes retired and parked ones, --json prints full rows.
`,
  capture: `usage: mycelium capture --bundle PATH --db FILE [--now ISO] [--max-lessons N] [--trust-contributors] [--json]
       mycelium capture --repo OWNER/REPO --pr N --db FILE [--save-bundle FILE] [...]   (token: GITHUB_TOKEN)
Captures lessons from PR bundles (a file or a folder of *.json) or from a PR on GitHub.
`,
  backfill: `usage: mycelium backfill --repo OWNER/REPO --db FILE [--days N] [--max-prs N] [--now ISO] [--json]
Captures the merged PRs of the last N days (default 365) that the database lacks, 50 PRs per GraphQL query,
stopping before 600 REST requests, 600 GraphQL points or 25 minutes; run it again to resume. Token: GITHUB_TOKEN.
`,
  'decide accept': `usage: mycelium decide accept N [N...] --report FILE --db FILE [--by NAME] [--now ISO]
Accepts candidates N of a DigestReport (from distill run --out), as /mycelium accept does on the digest
issue. Recorded in the database and in decisions.json beside it.
`,
  'decide reject': `usage: mycelium decide reject N [N...] --report FILE --db FILE [--reason TEXT] [--by NAME] [--now ISO]
Rejects candidates N; a later cluster made mostly of their lessons is not proposed again.
`,
  'decide retire': `usage: mycelium decide retire LESSON_ID [LESSON_ID...] --db FILE [--reason TEXT] [--by NAME] [--now ISO]
Retires lessons (retired_at): no later distill or file reads them.
`,
  'conventions write': `usage: mycelium conventions write --db FILE --out FILE [--target KIND] [--repo OWNER/REPO] [--server-url URL]
Writes the accepted conventions into FILE inside Mycelium's marked block (the rest of FILE is kept byte
for byte; a rule removed by hand is not added back). The kind comes from FILE's name or --target:
AGENTS.md, CLAUDE.md, .github/copilot-instructions.md, .cursor/rules/<name>.mdc, skills/<name>/SKILL.md.
`,
};

/** Groups: `mycelium distill --help` lists its subcommands. */
export function groupHelp(group: string): string | null {
  const subs = Object.keys(COMMAND_HELP).filter((c) => c.startsWith(`${group} `));
  if (subs.length === 0) return null;
  return `usage: mycelium ${group} <${subs.map((s) => s.slice(group.length + 1)).join('|')}> [options]\n\n` + subs.map((s) => COMMAND_HELP[s]!.split('\n')[0]!.replace(/^usage: /, '  ')).join('\n') + `\n\nmycelium ${group} <subcommand> --help for more.\n`;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for suggestions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known command closest to `typed` (at most a third of its length away), or null. */
export function suggestCommand(typed: string, known: readonly string[]): string | null {
  const words = typed.trim().split(/\s+/);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const k of known) {
    const candidate = k.split(' ').length === 1 ? words[0]! : words.slice(0, 2).join(' ');
    const score = editDistance(candidate.toLowerCase(), k);
    if (score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best !== null && bestScore > 0 && bestScore <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}
