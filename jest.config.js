/**
 * One jest run for every layer (test/README.md says which test goes where): unit specs beside the
 * code (src/**\/*.spec.ts), database integration tests (test/**\/*.int-spec.ts) and HTTP and
 * process tests (test/**\/*.e2e-spec.ts), the last two against a real PostgreSQL that
 * test/support/global-setup.mjs provides: TEST_DATABASE_URL when set, else an embedded one.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testRegex: ['src/.*\\.spec\\.ts$', 'test/.*\\.(int|e2e)-spec\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose is ESM only: Node's require(esm) loads it in the app; jest needs it as CommonJS.
    '/node_modules/jose/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.cjs',
  },
  // Stryker's sandbox copies the specs; an interrupted mutation run leaves it behind.
  testPathIgnorePatterns: ['/node_modules/', '/.stryker-tmp/'],
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 60_000,
  // Test files share one PostgreSQL server but each makes its own database; two workers keep the
  // 2-core machine busy without starving the server under test.
  maxWorkers: 2,
  // Freeing a worker's 300-500 MB heap took up to 0.8 s on the loaded VM, past jest's 500 ms; a
  // handle left open is still reported, and named by test/support/worker-exit-probe.cjs.
  workerGracefulExitTimeout: 5_000,
  collectCoverage: true,
  // Process entry points run only as child processes (test/ops), where jest cannot count them; so
  // does the tracing SDK, which would patch http and pg for every later test file of a worker.
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.spec.ts',
    '!src/main.ts',
    '!src/migrate.ts',
    '!src/tracing.ts',
    '!src/core/ops/tracing.ts',
  ],
  coverageDirectory: 'coverage',
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
};
