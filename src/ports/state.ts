/** Small files kept beside the database: the distill watermark and the tier archive. */

export interface WatermarkStore {
  /** Names the state in messages (a path, or repo@branch:path). */
  readonly describe: string;
  /** The state file's text, or null when there is none yet. */
  read(): Promise<string | null>;
  write(text: string): Promise<void>;
}

export interface ArchiveSink {
  readonly describe: string;
  /** The archive file's current text, or null when it does not exist. */
  read(file: string): Promise<string | null>;
  /**
   * Appends `markdown` to each `file` (e.g. `2025-03.md`), creating files as needed, all at once (on a state
   * branch: one commit). Either every file is written or none is (the call throws). Returns where each file
   * now lives.
   */
  appendAll(additions: ReadonlyMap<string, string>): Promise<ReadonlyMap<string, string>>;
}
