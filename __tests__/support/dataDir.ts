/**
 * The real review data the tests read, vendored in the repository (__tests__/fixtures/realdata/; its sources
 * and licences are in NOTICE, what each file holds in its README.md). Resolved from this file, so it works
 * from any working directory and in a fresh clone with nothing beside it.
 */
import { fileURLToPath } from 'node:url';

export const REAL_DATA_DIR = fileURLToPath(new URL('../fixtures/realdata/', import.meta.url));
