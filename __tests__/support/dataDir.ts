/**
 * Where the shared real review data lives: `$MYCELIUM_TEST_DATA`, else `shared/data` beside the
 * repository (how CI and developers' machines lay it out), else /work/shared/data.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findDataDir(): string {
  if (process.env.MYCELIUM_TEST_DATA) return process.env.MYCELIUM_TEST_DATA;
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (const dir of [join(repo, '..', 'shared', 'data'), '/work/shared/data']) if (existsSync(dir)) return dir;
  throw new Error(`real review data not found: set MYCELIUM_TEST_DATA or put shared/data beside ${repo}`);
}

export const SHARED_DATA_DIR = findDataDir();
