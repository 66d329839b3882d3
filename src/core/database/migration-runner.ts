import { DataSource, MigrationExecutor } from 'typeorm';
import type { DatabaseConfig } from './database.config';
import { buildDataSourceOptions } from './data-source-options';
import { setRoleTimeouts, TimeoutsLogger } from './server-timeouts';

/** The advisory lock key every migration run takes (an arbitrary constant, "tasks-api migrations"). */
export const MIGRATION_LOCK_KEY = '7361736b73006d67';
const LOCK_KEY_SQL = `('x' || $1)::bit(64)::bigint`;

export type MigrationLogger = TimeoutsLogger;

/**
 * Applies the pending migrations in one transaction that first takes a transaction-scoped advisory
 * lock (`pg_advisory_xact_lock`). Runs started together (several Job pods, init containers,
 * replicas with MIGRATIONS_RUN_ON_STARTUP) queue on the lock: the first applies, the others then
 * find nothing pending, and all succeed. The lock, the check for pending migrations and the work
 * share one transaction, which a transaction pooler (PgBouncer, Neon's pooled URL) keeps on one
 * server connection, and the lock ends with it: a session lock (`pg_advisory_lock`) through such a
 * pooler could be taken on one server connection and released on another, or stay held on an idle
 * one. A crash anywhere rolls everything back and frees the lock.
 *
 * Consequences: all pending migrations apply together or not at all, and a migration that cannot
 * run in a transaction (`transaction = false`, e.g. CREATE INDEX CONCURRENTLY) is refused by TypeORM
 * here; run such one by hand on the direct URL. Returns the names it applied.
 */
export async function runMigrationsLocked(
  env: DatabaseConfig,
  logger: MigrationLogger,
): Promise<string[]> {
  const dataSource = new DataSource(buildDataSourceOptions(env, 'migrations'));
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    const started = performance.now();
    await runner.startTransaction();
    // The app role's default statement_timeout (set below) would apply to this session too when
    // migrations run as that role: a migration may take as long as it needs, and so may the wait.
    await runner.query('SET LOCAL statement_timeout = 0');
    await runner.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    logger.info({}, 'waiting for the migration lock');
    await runner.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY_SQL})`, [MIGRATION_LOCK_KEY]);
    logger.info({ waitedMs: Math.round(performance.now() - started) }, 'migration lock acquired');
    let applied;
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      // 'all' inside a transaction that is already open: TypeORM neither begins nor commits.
      executor.transaction = 'all';
      applied = await executor.executePendingMigrations();
      await setRoleTimeouts(runner, env, logger);
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      logger.info({}, 'migration lock released');
    }
    for (const migration of applied)
      logger.info({ migration: migration.name }, 'migration applied');
    logger.info(
      { applied: applied.length, ms: Math.round(performance.now() - started) },
      applied.length === 0 ? 'no pending migrations' : 'migrations complete',
    );
    return applied.map((m) => m.name);
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
