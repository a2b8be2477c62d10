/** Local files: the database, the watermark and the archive, behind the small interfaces the operations use. */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LessonsStore } from '../store/lessonsStore.js';
import type { ArchiveSink, WatermarkStore } from '../ops/ports.js';

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file behind. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
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
    async append(file: string, markdown: string) {
      const path = join(dir, file);
      await mkdir(dir, { recursive: true });
      if (!existsSync(path)) await writeFile(path, `# Archived lessons, ${file.replace(/\.md$/, '')}\n`);
      await appendFile(path, markdown);
      return path;
    },
  };
}
