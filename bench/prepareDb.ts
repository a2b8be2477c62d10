/**
 * Opens a lessons database made elsewhere (e.g. by another generator, in mycelium's schema) with the
 * project's store and saves it, so the schema migration is paid once here and not inside every timed run.
 *
 *   node --import tsx bench/prepareDb.ts --in FILE --out FILE
 *   node --import tsx bench/prepareDb.ts --empty --out FILE      (a new, empty database)
 */
import { parseArgs } from 'node:util';
import { openDbFile, saveDbFile } from '../src/adapters/files.js';

const { values } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' }, empty: { type: 'boolean' } } });
if ((!values.in && !values.empty) || !values.out) throw new Error('usage: prepareDb.ts --in FILE --out FILE | --empty --out FILE');
const t0 = performance.now();
const store = values.empty ? await openDbFile(values.out) : await openDbFile(values.in!, { mustExist: true });
await saveDbFile(store, values.out);
store.close();
process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }) + '\n');
