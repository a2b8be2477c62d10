/**
 * Jest in ESM mode (the Actions toolkit majors we use are ESM-only), as three projects:
 * - unit: pure code and local files, no servers (everything not listed below);
 * - integration: GitHub-facing code against the local GitHub double and Azurite on 127.0.0.1;
 * - e2e: the bundled action and CLI (dist/) run as processes, as a runner runs them.
 * `npm test` runs all three; `npm run test:unit` (or test:integration, test:e2e) one of them.
 * A new test that starts the double belongs in INTEGRATION, one that spawns dist/ in E2E.
 */
const INTEGRATION = ['github-*.test.ts', 'artifact-*.test.ts', 'catch-up*.test.ts', 'backfill*.test.ts'];
const E2E = ['e2e-*.test.ts', 'bundle.test.ts'];

const inTests = (patterns) => patterns.map((p) => `<rootDir>/__tests__/${p}`);

const base = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
};

export default {
  testTimeout: 60000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: [...INTEGRATION, ...E2E].map(
        (p) => `/__tests__/${p.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`,
      ),
    },
    { ...base, displayName: 'integration', testMatch: inTests(INTEGRATION) },
    { ...base, displayName: 'e2e', testMatch: inTests(E2E) },
  ],
};
