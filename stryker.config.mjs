// Mutation testing of the security-relevant pure modules (docs/testing.md): each mutant must make
// a unit spec fail. `npm run mutation` runs Stryker once per file so the break threshold (90%)
// holds per file; a file alone: `npx stryker run --mutate src/core/auth/bearer.ts`.
const jest = (await import('./jest.config.js')).default;

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
      testRegex: ['src/.*\\.spec\\.ts$'],
      globalSetup: undefined,
      globalTeardown: undefined,
      collectCoverage: false,
      coverageThreshold: undefined,
    },
    enableFindRelatedTests: true,
  },
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
