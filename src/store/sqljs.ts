import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { SqlJsStatic } from 'sql.js';

/**
 * Loads sql.js without letting a bundler touch its loader.
 *
 * sql-wasm.js assigns `module = undefined` and probes `typeof module`; bundlers fold those probes and the
 * bundled loader crashes. So the bundle ships the loader verbatim as `sql-wasm.cjs` with `sql-wasm.wasm`
 * beside it, and we `require` it at run time. From source (tests, bench) the same code finds them in
 * node_modules instead.
 */
const LOADER = 'sql-wasm.cjs';
const WASM = 'sql-wasm.wasm';
/** Below this much database, a run is short and wasm's optimizing tier costs more than it saves. */
const SMALL_DATABASE_BYTES = 16 << 20;

let cached: Promise<SqlJsStatic> | undefined;

function bundledDir(): string | undefined {
  // In the bundle, this module sits in dist/ (action) or dist/cli/ (CLI); the runtime files live in dist/.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, join(here, '..')]) {
    if (existsSync(join(dir, LOADER)) && existsSync(join(dir, WASM))) return dir;
  }
  return undefined;
}

/** sql.js, compiled once per process; `databaseBytes` (of the first database opened) picks the wasm tier. */
export function loadSqlJs(databaseBytes = 0): Promise<SqlJsStatic> {
  if (!cached) {
    // V8 tiers hot wasm functions up to its optimizing compiler, and the first tier-up stalls the event loop
    // ~100 ms on a 2-core machine: a third of a distill on an empty database. Small databases stay on the
    // baseline tier; big ones keep the optimizing tier (a 1M-lesson harvest runs ~8% faster with it).
    if (databaseBytes < SMALL_DATABASE_BYTES) setFlagsFromString('--liftoff-only');
    const dir = bundledDir();
    // Indirect so that no bundler resolves (and inlines) the loader.
    const load = createRequire(import.meta.url);
    let init: (config: { locateFile: (file: string) => string }) => Promise<SqlJsStatic>;
    let wasmDir: string;
    if (dir) {
      init = load(join(dir, LOADER)) as typeof init;
      wasmDir = dir;
    } else {
      const loaderPath = load.resolve(['sql.js', 'dist', 'sql-wasm.js'].join('/'));
      init = load(loaderPath) as typeof init;
      wasmDir = dirname(loaderPath);
    }
    cached = init({ locateFile: (file: string) => join(wasmDir, file) });
  }
  return cached;
}
