/**
 * Small in-memory fakes of the ports (src/ports/), for testing the operations in process: each records what
 * happened in one shared `events` list (so a test can check the order of writes) and can be told to fail.
 */
import { parsePrBundle, type PrBundle } from '../../src/capture/bundle.js';
import { digestId } from '../../src/core/digestIssue.js';
import { readActionInputs } from '../../src/action/inputs.js';
import type { CatchUpResult } from '../../src/ops/catchUp.js';
import { captureBundle } from '../../src/ops/capture.js';
import type { Ports, Run } from '../../src/ops/run.js';
import type { LessonDatabase, DigestPublisher, PublishResult, WatermarkStore, ArchiveSink, ReportArtifacts, PullRequestSource } from '../../src/ports/index.js';
import { LessonsStore } from '../../src/store/lessonsStore.js';
import { formatTimestamp } from '../../src/core/time.js';

export const REPO = 'acme/app';

/** A merged PR whose maintainer comment states one lesson (trusted, explicit). */
export function lessonPr(number: number, insight: string, mergedAt = '2026-03-10T00:00:00Z'): PrBundle {
  return parsePrBundle(
    {
      pull_request: {
        number,
        html_url: `https://github.com/${REPO}/pull/${number}`,
        user: { login: 'dev', type: 'User' },
        author_association: 'MEMBER',
        merged_at: mergedAt,
        base: { repo: { full_name: REPO } },
      },
      review_comments: [
        {
          id: 6_000_000_000 + number,
          user: { login: 'maintainer', type: 'User' },
          body: `Lesson: ${insight}`,
          path: 'scripts/release.sh',
          line: 3,
          created_at: '2026-03-09T09:00:00Z',
          html_url: `https://github.com/${REPO}/pull/${number}#discussion_r${6_000_000_000 + number}`,
          author_association: 'MEMBER',
        },
      ],
    },
    `PR ${number}`,
  );
}

/** Three PRs teaching the same rule: one skill candidate. */
export const RECURRING = [
  'Always use git -C dir instead of cd dir && git in shell scripts, so git runs in the right directory.',
  'Always use git -C dir instead of cd dir && git in bash scripts, so git runs in the right directory.',
  'Always use git -C dir instead of cd dir && git in helper scripts, so git runs in the right directory.',
];

export interface Fakes {
  events: string[];
  ports: Ports;
  /** The database's bytes as last saved (null: none yet). */
  saved: () => Uint8Array | null;
  issues: Array<{ digestId: string; number: number }>;
  watermarkText: () => string | null;
  archiveFiles: Map<string, string>;
  archiveWrites: () => number;
  /** The next n saves / publishes / watermark writes / catch-ups throw. */
  fail: { save: number; publish: number; watermark: number; catchUp: number; archive: number };
}

export async function makeFakes(
  opts: { initial?: PrBundle[]; seed?: (store: LessonsStore) => void; catchUpPrs?: PrBundle[]; failingPrs?: number[]; pulls?: PrBundle[]; now?: string } = {},
): Promise<Fakes> {
  const events: string[] = [];
  const fail = { save: 0, publish: 0, watermark: 0, catchUp: 0, archive: 0 };
  const boom = (what: keyof typeof fail) => {
    if (fail[what] > 0) {
      fail[what]--;
      events.push(`${what} failed`);
      throw new Error(`${what} failed (fake)`);
    }
  };
  let bytes: Uint8Array | null = null;
  if (opts.initial?.length || opts.seed) {
    const seed = await LessonsStore.open(null, 'seed');
    for (const b of opts.initial ?? []) captureBundle(seed, b, opts.now ?? '2026-03-10T00:00:00Z');
    opts.seed?.(seed);
    bytes = seed.export();
    seed.close();
  }
  const database: LessonDatabase = {
    async open() {
      events.push('open');
      const store = await LessonsStore.open(bytes, 'fake database');
      return { store, fresh: bytes === null, origin: bytes === null ? 'Database: none usable, started empty' : 'Database: fake' };
    },
    async save(db) {
      boom('save');
      bytes = db.store.export();
      events.push('save');
      return { written: true, note: 'Saved (fake)' };
    },
  };
  const issues: Array<{ digestId: string; number: number }> = [];
  const publisher: DigestPublisher = {
    async findPosted(report) {
      if (report.candidates.length === 0) return null;
      const found = issues.find((i) => i.digestId === digestId(report));
      return found ? { number: found.number, url: `https://github.com/${REPO}/issues/${found.number}` } : null;
    },
    async publish(report): Promise<PublishResult> {
      if (report.candidates.length === 0) return { action: 'skipped-empty', digestId: null, title: null, issueNumber: null, issueUrl: null };
      boom('publish');
      const id = digestId(report);
      const found = issues.find((i) => i.digestId === id);
      const issue = found ?? { digestId: id, number: 100 + issues.length };
      if (!found) issues.push(issue);
      events.push(found ? 'publish existing' : 'publish created');
      return { action: found ? 'existing' : 'created', digestId: id, title: 't', issueNumber: issue.number, issueUrl: `https://github.com/${REPO}/issues/${issue.number}` };
    },
  };
  let wm: string | null = null;
  const watermark: WatermarkStore = {
    describe: 'fake state.json',
    read: async () => wm,
    async write(text) {
      boom('watermark');
      wm = text;
      events.push('watermark');
    },
  };
  const archiveFiles = new Map<string, string>();
  let archiveWrites = 0;
  const archive: ArchiveSink = {
    describe: 'fake-archive',
    read: async (file) => archiveFiles.get(file) ?? null,
    async appendAll(additions) {
      boom('archive');
      archiveWrites++;
      for (const [f, md] of additions) archiveFiles.set(f, (archiveFiles.get(f) ?? `# ${f}\n`) + md);
      events.push('archive');
      return new Map([...additions.keys()].map((f) => [f, `fake-archive/${f}`]));
    },
  };
  const reports: ReportArtifacts = { keep: async () => 'https://github.com/acme/app/actions/runs/1/artifacts/9', writeLocal: async () => null };
  const byNumber = new Map((opts.pulls ?? []).map((b) => [b.pull_request.number, b]));
  const pulls: PullRequestSource = {
    async read(number) {
      const b = byNumber.get(number);
      if (!b) throw new Error(`PR #${number} not found (fake)`);
      return { bundle: b, requests: 3 };
    },
  };
  const ports: Ports = {
    database,
    pulls,
    async catchUp(store, req): Promise<CatchUpResult> {
      boom('catchUp');
      events.push(`catch-up since ${req.since.slice(0, 10)}`);
      const have = store.capturedPrNumbers(REPO);
      const missing = (opts.catchUpPrs ?? []).filter((b) => !have.has(b.pull_request.number));
      const captured = missing.map((b) => captureBundle(store, b, req.now, req.settings));
      return {
        merged: opts.catchUpPrs?.length ?? 0,
        captured,
        failed: (opts.failingPrs ?? []).filter((n) => !have.has(n)).map((pr) => ({ pr, error: `PR #${pr}: capture took too long (fake)` })),
        leftOut: 0,
        stoppedBy: null,
        remaining: 0,
        usage: { restRequests: 0, graphqlPoints: 0, graphqlQueries: 0, batches: 0, readAlone: 0 },
      };
    },
    publisher,
    watermark,
    archive,
    reports,
  };
  return {
    events,
    ports,
    saved: () => bytes,
    issues,
    watermarkText: () => wm,
    archiveFiles,
    archiveWrites: () => archiveWrites,
    fail,
  };
}

export interface FakeRun extends Run {
  outputs: Record<string, string | number>;
  errors: string[];
  logs: string[];
}

/** A Run over the fakes, with the action inputs given as the runner would (strings). */
export function fakeRun(fakes: Fakes, inputs: Record<string, string>, nowIso = '2026-03-15T12:00:00Z', target: Run['captureTarget'] = () => ({ kind: 'skip', reason: 'no PR' })): FakeRun {
  const nowMicros = Date.parse(nowIso) * 1000;
  const outputs: Record<string, string | number> = {};
  const errors: string[] = [];
  const logs: string[] = [];
  return {
    inputs: readActionInputs((name) => inputs[name] ?? ''),
    captureTarget: target,
    repository: REPO,
    nowMicros,
    nowIso: formatTimestamp(nowMicros),
    ports: fakes.ports,
    log: { info: (m) => void logs.push(m), warning: (m) => void logs.push(`warning: ${m}`) },
    summary: [],
    setOutput: (name, value) => void (outputs[name] = value),
    error: (m) => void errors.push(m),
    outputs,
    errors,
    logs,
  };
}
