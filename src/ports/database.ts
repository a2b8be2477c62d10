/** Where the lessons database comes from and goes back to (a workflow artifact, or a local file). */
import type { LessonsStore } from '../store/lessonsStore.js';

/** The lesson repository the operations read and update (the sql.js store; tests open it in memory). */
export type LessonRepository = LessonsStore;

export interface OpenedDatabase {
  store: LessonRepository;
  /** True when no usable database existed and this one starts empty (recent PRs should be recaptured). */
  fresh: boolean;
  /** One line for the job summary: where the database came from. */
  origin: string;
}

export interface SavedDatabase {
  /** False when nothing was written (unchanged, or a dry run). */
  written: boolean;
  /** One line for the job summary. */
  note: string;
}

export interface LessonDatabase {
  open(): Promise<OpenedDatabase>;
  /** Writes the database back (an upload). Throws when that fails: nothing after it may run. */
  save(db: OpenedDatabase): Promise<SavedDatabase>;
}

/** Keeps a run's DigestReport JSON (a run artifact) so the issue can link it when it does not fit the body. */
export interface ReportArtifacts {
  /** The link to the kept JSON, or null when it could not be kept (never throws: the link is optional). */
  keep(json: string): Promise<string | null>;
  /** Writes the JSON where later steps of the job can read it; its path, or null when there is no such place. */
  writeLocal(json: string): Promise<string | null>;
}
