import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

let cached: Promise<SqlJsStatic> | undefined;

function bundledDir(): string | undefined {
  // In the bundle, this module sits in dist/ (action) or dist/cli/ (CLI); the runtime files live in dist/.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, join(here, '..')]) {
    if (existsSync(join(dir, LOADER)) && existsSync(join(dir, WASM))) return dir;
  }
  return undefined;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!cached) {
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
