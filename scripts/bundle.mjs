// Builds the committed bundles: dist/index.js (the action), dist/cli/index.js (bin/mycelium) and
// dist/cluster-worker/index.js (distill's second join thread, started by both),
// plus sql.js's loader and wasm, copied verbatim next to them (see src/store/sqljs.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

const require = createRequire(import.meta.url);
const ncc = join(dirname(require.resolve('@vercel/ncc/package.json')), 'dist', 'ncc', 'cli.js');
const sqlDist = dirname(require.resolve('sql.js/dist/sql-wasm.js'));
const sqlRoot = dirname(sqlDist); // sql.js's exports do not include its package.json

// The licence file is written here, not by ncc's --license: ncc names packages by name alone and, when
// two copies of one package differ (isarray 1.0.0 without a LICENSE, 2.0.5 with one), which copy it
// reads varies from build to build, so the check that dist/ matches a fresh build would fail at random.
const stats = mkdtempSync(join(tmpdir(), 'mycelium-bundle-'));
rmSync('dist', { recursive: true, force: true });
try {
  for (const [entry, out, extra] of [
    ['src/index.ts', 'dist', [sqlRoot]],
    ['src/cli/index.ts', 'dist/cli', [sqlRoot]],
    ['src/core/cluster/worker.ts', 'dist/cluster-worker', []],
  ]) {
    const statsFile = join(stats, `${out.replace(/\W/g, '_')}.json`);
    execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--stats-out', statsFile, '--quiet'], {
      stdio: 'inherit',
    });
    const roots = new Set(extra);
    collectPackageRoots(JSON.parse(readFileSync(statsFile, 'utf8')).modules, roots);
    if (roots.size) writeFileSync(join(out, 'licenses.txt'), licenceText(roots));
  }
} finally {
  rmSync(stats, { recursive: true, force: true });
}
mkdirSync('dist', { recursive: true });
copyFileSync(join(sqlDist, 'sql-wasm.js'), 'dist/sql-wasm.cjs');
copyFileSync(join(sqlDist, 'sql-wasm.wasm'), 'dist/sql-wasm.wasm');

/** The node_modules package directories of every bundled module (webpack stats nest concatenated modules). */
function collectPackageRoots(modules, roots) {
  const marker = `${sep}node_modules${sep}`;
  for (const m of modules ?? []) {
    // The resource is the identifier's last loader segment, without webpack's "|hash" suffix.
    const resource = String(m.identifier ?? '').split('!').pop().split('|')[0];
    const at = resource.lastIndexOf(marker);
    if (at >= 0) {
      const parts = resource.slice(at + marker.length).split(sep);
      const nameParts = parts[0].startsWith('@') ? 2 : 1;
      roots.add(resource.slice(0, at + marker.length) + parts.slice(0, nameParts).join(sep));
    }
    collectPackageRoots(m.modules, roots);
  }
}

/** name@version, licence, and the licence file's text for each package, sorted: the same output for the same tree. */
function licenceText(roots) {
  const entries = [...roots].map((root) => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const file = readdirSync(root)
      .filter((f) => /^(licen[cs]e|copying)(\.|$|-)/i.test(f))
      .sort()[0];
    const text = file ? readFileSync(join(root, file), 'utf8').replace(/\r\n/g, '\n').trim() : '(no licence file in the package)';
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    return { key: `${pkg.name}@${pkg.version}`, body: `${pkg.name}@${pkg.version}\n${licence}\n${text}\n` };
  });
  const unique = new Map(entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((e) => [e.key, e.body]));
  return [...unique.values()].join('\n');
}
