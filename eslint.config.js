// ESLint, type-aware (typescript-eslint's recommendedTypeChecked), over all the TypeScript and JavaScript we
// write. Kept everywhere: the rules that find real bugs (promises nobody awaits, async callbacks where a void
// one is expected, awaiting non-promises, assertions that hide a type change, unused code, errors rethrown
// without their cause). In src/ also the no-unsafe-* family: an `any` leaking past a zod boundary is a bug.
// Turned off, each with its reason: rules that flag idioms this code base uses on purpose.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'build/**',
      'coverage/**',
      'node_modules/**',
      '.bench/**',
      'scripts/.scratch*/**',
      '__tests__/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error; `void promise` is the explicit "I mean it".
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `${n}` of numbers, booleans and nulls in messages is intended.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // An `async` method that implements a Promise-returning port without awaiting anything is fine.
      '@typescript-eslint/require-await': 'off',
      // Rethrowing what a library threw (Octokit's RequestError, zod's errors) keeps their fields.
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // The text cleaners and the guard match control characters and single code points (variation
      // selectors, joiners, combining marks, emoji modifiers) on purpose: that is what they strip.
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    // Tests, the GitHub double, scripts and benchmarks handle raw JSON payloads as `any` by design (the code
    // under test validates them); these rules would ask for a cast on every line there.
    files: ['__tests__/**', 'scripts/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(obj.method).toHaveBeenCalled() and friends pass methods around without calling them.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (these configs, the bundle script): no type information to lint with.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
