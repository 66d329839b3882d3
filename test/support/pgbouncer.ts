import { findPgBouncer, PgBouncer, startPgBouncer } from '../../scripts/pgbouncer.cjs';
import { ensureBuilt } from './built-app';
import { adminUrl, createTestDatabase, routeAppConnections, TestDatabase } from './test-database';

export type { PgBouncer };

/** The binary the pooler tests run: PGBOUNCER_BIN, else Debian's /usr/sbin/pgbouncer, else PATH. */
export const PGBOUNCER_BINARY = findPgBouncer();

/**
 * `.ci/run` sets REQUIRE_PGBOUNCER=1 (it installs the package): there a missing binary fails the
 * pooler tests instead of skipping them.
 */
const REQUIRED = process.env.REQUIRE_PGBOUNCER === '1';
const MISSING =
  'PgBouncer not found: apt-get install pgbouncer (Debian/Ubuntu), brew install pgbouncer (macOS), or set PGBOUNCER_BIN';

/**
 * `describe` for tests that need a real PgBouncer. Without the binary: one skipped test and one
 * line on stderr saying so, or, when REQUIRE_PGBOUNCER=1, one failing test.
 */
export function describeWithPgBouncer(name: string, body: () => void): void {
  if (PGBOUNCER_BINARY) {
    describe(name, body);
    return;
  }
  if (REQUIRED) {
    describe(name, () => {
      it('needs PgBouncer (REQUIRE_PGBOUNCER=1)', () => {
        throw new Error(`${MISSING} (REQUIRE_PGBOUNCER=1): ${name}`);
      });
    });
    return;
  }
  process.stderr.write(`skipped: ${name}: ${MISSING}\n`);
  describe.skip(name, () => it(MISSING, () => undefined));
}

/** A PgBouncer in transaction mode, defaults otherwise, in front of the test server. */
export function startTestPgBouncer(settings?: Record<string, string | number>): Promise<PgBouncer> {
  return startPgBouncer({ serverUrl: adminUrl(), settings, binary: PGBOUNCER_BINARY });
}

/** True for PgBouncer 1.21 and later, which can keep named statements in transaction mode. */
export function keepsPreparedStatements(pooler: PgBouncer): boolean {
  const [major = 0, minor = 0] = pooler.version ?? [];
  return major > 1 || (major === 1 && minor >= 21);
}

/**
 * For the enclosing `describe`: dist/ built, a PgBouncer, and `freshDatabase()` for databases that
 * are dropped at the end (before the pooler stops).
 */
export function usePgBouncer(): {
  readonly pooler: PgBouncer;
  freshDatabase(options?: { migrate?: boolean }): Promise<TestDatabase>;
} {
  const dbs: TestDatabase[] = [];
  const context = {
    pooler: undefined as unknown as PgBouncer,
    async freshDatabase(options: { migrate?: boolean } = { migrate: false }) {
      const db = await createTestDatabase(options);
      dbs.push(db);
      return db;
    },
  };
  beforeAll(async () => {
    ensureBuilt();
    context.pooler = await startTestPgBouncer();
  }, 180_000);
  afterAll(async () => {
    for (const db of dbs) await db.drop();
    await context.pooler?.close();
  });
  return context;
}

/**
 * For the enclosing `describe`: a PgBouncer, and every app the test helpers configure
 * (`testEnvironment`, `createTestDatabase().env`) connects through it as DATABASE_URL, with the
 * direct URL as DATABASE_MIGRATIONS_URL: Neon's two URLs. The test files `require`d inside run
 * unchanged through the pooler.
 */
export function routeAppsThroughPgBouncer(): { readonly pooler: PgBouncer } {
  const context = {} as { pooler: PgBouncer };
  beforeAll(async () => {
    context.pooler = await startTestPgBouncer();
    routeAppConnections((databaseUrl) => context.pooler.pooledUrlOf(databaseUrl));
  });
  afterAll(async () => {
    routeAppConnections(undefined);
    await context.pooler?.close();
  });
  return context;
}

/**
 * The last test of such a file: the suites above really went through the pooler (its log has
 * their logins to test databases), so a change in the helpers cannot quietly make them direct.
 */
export function itCheckedTheyWentThroughThePooler(context: { readonly pooler: PgBouncer }): void {
  it('all of the above connected through the pooler', () => {
    const logins = context.pooler.output().match(/login attempt: db=tasks_test_\w+/g) ?? [];
    expect(new Set(logins).size).toBeGreaterThan(0);
  });
}
