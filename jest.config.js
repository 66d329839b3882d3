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
  // How long a worker may take to exit once the run is over before jest kills it and warns of a
  // leak. Jest's 500 ms is too short here. At that point the workers hold no handle or timer, and
  // their 'exit' event fires within 5 ms. The process then spends the time freeing its V8 heap
  // (Isolate::Delete munmaps every page, several hundred MB after a full run). On a 2-core VM
  // under load that took 520-800 ms, so jest killed the worker and blamed the tests. A real leak
  // never exits, so it still gets the warning, 5 s later.
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
