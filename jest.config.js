/**
 * One jest run for everything: unit specs beside the code (src/**\/*.spec.ts) and integration and
 * e2e tests against a real PostgreSQL (test/**\/*.e2e-spec.ts). test/support/global-setup.mjs
 * provides the server: TEST_DATABASE_URL when set, else an embedded PostgreSQL.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testRegex: ['src/.*\\.spec\\.ts$', 'test/.*\\.e2e-spec\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60_000,
  // Test files share one PostgreSQL server but each makes its own database; two workers keep the
  // 2-core machine busy without starving the server under test.
  maxWorkers: 2,
  collectCoverage: true,
  // Process entry points run only as child processes (test/ops), where jest cannot count them.
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/main.ts',
    '!src/database/migrate.ts',
  ],
  coverageDirectory: 'coverage',
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
};
