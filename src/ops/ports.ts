/** What the operations need from the outside world: small interfaces, with file and GitHub adapters. */
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
  /** Appends to `file` (e.g. `2025-03.md`), creating it; returns where the lesson now lives. */
  append(file: string, markdown: string): Promise<string>;
}

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
}
