/** Local files: the database, the watermark and the archive, behind the small interfaces the operations use. */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../core/errorMessage.js';
import { jsonChunks } from '../core/jsonChunks.js';
import { LessonsStore } from '../store/lessonsStore.js';
import type { ArchiveSink, LessonDatabase, WatermarkStore } from '../ports/index.js';

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file behind. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * Writes `JSON.stringify(value, null, 2)` and a newline to `path`, in pieces of about a megabyte, so that a
 * report of a million lessons never exists as one string (see core/jsonChunks.ts).
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const file = await open(path, 'w');
  try {
    let pending = '';
    for (const piece of jsonChunks(value)) {
      pending += piece;
      if (pending.length >= 1 << 20) {
        await file.write(pending);
        pending = '';
      }
    }
    await file.write(`${pending}\n`);
  } finally {
    await file.close();
  }
}

/** Opens the database at `path`; a missing file is a new database unless `mustExist`. */
export async function openDbFile(path: string, opts: { mustExist?: boolean } = {}): Promise<LessonsStore> {
  const bytes = await readIfExists(path);
  if (bytes === null && opts.mustExist) throw new Error(`database ${path} does not exist`);
  return LessonsStore.open(bytes, `database ${path}`);
}

export async function saveDbFile(store: LessonsStore, path: string): Promise<void> {
  await writeFileAtomic(path, store.export());
}

export function fileWatermarkStore(path: string): WatermarkStore {
  return {
    describe: path,
    async read() {
      const bytes = await readIfExists(path);
      return bytes === null ? null : bytes.toString('utf8');
    },
    async write(text: string) {
      await writeFileAtomic(path, text);
    },
  };
}

export function directoryArchiveSink(dir: string): ArchiveSink {
  return {
    describe: dir,
    async read(file: string) {
      const bytes = await readIfExists(join(dir, file));
      return bytes === null ? null : bytes.toString('utf8');
    },
    async appendAll(additions: ReadonlyMap<string, string>) {
      await mkdir(dir, { recursive: true });
      const paths = new Map<string, string>();
      for (const [file, markdown] of additions) {
        const path = join(dir, file);
        if (!existsSync(path)) await writeFile(path, `# Archived lessons, ${file.replace(/\.md$/, '')}\n`);
        await appendFile(path, markdown);
        paths.set(file, path);
      }
      return paths;
    },
  };
}

/** The database as a local file (storage: file, and the CLI): read at open, written back atomically at save. */
export function fileDatabase(path: string): LessonDatabase {
  return {
    async open() {
      const store = await openDbFile(path);
      const fresh = store.count() === 0;
      return { store, fresh, origin: fresh ? `Database: ${path} (new or empty)` : `Database: ${path}` };
    },
    async save(db) {
      await saveDbFile(db.store, path);
      return { written: true, note: `Saved the database to ${path}` };
    },
  };
}
