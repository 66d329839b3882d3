// Mutation testing of the security-relevant pure modules (docs/testing.md): each mutant must make
// a unit spec fail. `npm run mutation` runs Stryker once per file so the break threshold (90%)
// holds per file; a file alone: `npx stryker run --mutate src/core/auth/bearer.ts`.
const jest = (await import('./jest.config.js')).default;
// scripts/mutation.sh names the mutated file's own spec: the tests that must pin it.
const specs = process.env.STRYKER_SPEC ?? 'src/.*\\.spec\\.ts$';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  coverageAnalysis: 'perTest',
  mutate: [
    'src/core/auth/bearer.ts',
    'src/core/http/client-address.ts',
    'src/core/rate-limit/window-counter.ts',
    'src/core/paging/keyset.ts',
    'src/core/validation/fields.ts',
    'src/core/validation/identifiers.ts',
  ],
  jest: {
    projectType: 'custom',
    // The unit specs only: no database, no global setup, no coverage of our own.
    config: {
      ...jest,
      testRegex: [specs],
      // It runs inside that sandbox, which the suite's own config ignores.
      testPathIgnorePatterns: ['/node_modules/'],
      // Transpile only: the type check already ran once (npm run typecheck), not per mutant.
      transform: {
        ...jest.transform,
        '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
      },
      // null, not undefined: Stryker passes these options on as JSON, which drops an undefined
      // key, and the runner then keeps jest.config.js's own (the PostgreSQL setup and dist build).
      globalSetup: null,
      globalTeardown: null,
      collectCoverage: false,
      coverageThreshold: undefined,
    },
    enableFindRelatedTests: true,
  },
  // A static mutant (a module-level constant) reruns every related spec; each such constant is
  // also exercised by the per-test mutants around it.
  ignoreStatic: true,
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
