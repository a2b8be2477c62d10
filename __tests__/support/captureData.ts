/** The vendored real data (see ./dataDir.ts) as capture's tests read it: JSON by relative path, github-* files. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_DATA_DIR } from './dataDir.js';

export function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(join(REAL_DATA_DIR, relative), 'utf8'));
}

/** `github-*` payload files, as paths relative to the data folder, sorted. */
export function githubDataFiles(): string[] {
  return readdirSync(REAL_DATA_DIR)
    .filter((d) => d.startsWith('github-'))
    .sort()
    .flatMap((d) =>
      readdirSync(join(REAL_DATA_DIR, d))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => `${d}/${f}`),
    );
}
