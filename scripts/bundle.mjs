// Builds the committed bundles: dist/index.js (the action) and dist/cli/index.js (bin/mycelium),
// plus sql.js's loader and wasm, copied verbatim next to them (see src/store/sqljs.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const ncc = join(dirname(require.resolve('@vercel/ncc/package.json')), 'dist', 'ncc', 'cli.js');

rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of [
  ['src/index.ts', 'dist'],
  ['src/cli/index.ts', 'dist/cli'],
]) {
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--quiet'], {
    stdio: 'inherit',
  });
}
const sqlDist = dirname(require.resolve('sql.js/dist/sql-wasm.js'));
mkdirSync('dist', { recursive: true });
copyFileSync(join(sqlDist, 'sql-wasm.js'), 'dist/sql-wasm.cjs');
copyFileSync(join(sqlDist, 'sql-wasm.wasm'), 'dist/sql-wasm.wasm');
