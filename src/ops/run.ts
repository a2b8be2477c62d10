/**
 * What every mode's operation is given: the validated inputs, the clock, the ports (already wrapped for a dry
 * run), a logger, and where to put the job summary lines and the step outputs. main.ts builds it; tests build
 * it from fakes.
 */
import type { ActionInputs } from '../action/inputs.js';
import type { CaptureTarget } from '../action/context.js';
import type {
  ArchiveSink,
  DigestPublisher,
  FeedbackPorts,
  LessonDatabase,
  LessonRepository,
  Logger,
  OpenedDatabase,
  PullRequestSource,
  ReportArtifacts,
  SavedDatabase,
  WatermarkStore,
} from '../ports/index.js';
import type { CatchUpResult } from './catchUp.js';
import type { CaptureSettings } from './capture.js';
import type { JoinThreads } from '../core/cluster/index.js';
import type { SummaryEntry } from './summary.js';

export interface CatchUpRequest {
  since: string;
  now: string;
  settings: CaptureSettings;
  maxPrs: number;
}

/** Captures the merged PRs of the window that the store lacks (ops/catchUp.ts over GitHub). */
export type CatchUpRunner = (store: LessonRepository, request: CatchUpRequest, log: Logger) => Promise<CatchUpResult>;

export interface Ports {
  database: LessonDatabase;
  pulls: PullRequestSource;
  catchUp: CatchUpRunner;
  publisher: DigestPublisher;
  watermark: WatermarkStore;
  archive: ArchiveSink;
  reports: ReportArtifacts;
  /** Mode feedback's ports and the digest's decisions (src/ops/feedback.ts); absent where nothing decides. */
  feedback?: FeedbackPorts;
}

export interface Run {
  inputs: ActionInputs;
  /** What capture works on (the event's merged PR, or the pr-number input). */
  captureTarget: () => CaptureTarget;
  /** `owner/repo` of this run. */
  repository: string;
  nowMicros: number;
  nowIso: string;
  /** Threads for distill's join, decided at the edge (adapters/clusterThreads.ts); absent: this thread only. */
  distillThreads?: JoinThreads;
  ports: Ports;
  log: Logger;
  /** Job summary entries, in order (src/ops/summary.ts builds and renders them). */
  summary: SummaryEntry[];
  setOutput(name: string, value: string | number): void;
  /** An error annotation that does not end the run by itself. */
  error(message: string): void;
}

export type Operation = (run: Run) => Promise<void>;

/**
 * Opens the database, runs `work`, and saves it; the store is closed afterwards. Nothing is saved when `work`
 * throws. A failed save throws: whatever the caller would do after it (post, move the watermark) does not happen.
 */
export async function withDatabase<T>(run: Run, work: (db: OpenedDatabase) => Promise<T>): Promise<{ result: T; saved: SavedDatabase }> {
  const db = await run.ports.database.open();
  try {
    run.summary.push(db.origin);
    const result = await work(db);
    const saved = await run.ports.database.save(db);
    run.summary.push(saved.note);
    return { result, saved };
  } finally {
    db.store.close();
  }
}
