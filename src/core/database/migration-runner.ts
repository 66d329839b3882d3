import { DataSource, MigrationExecutor } from 'typeorm';
import type { DatabaseConfig } from './database.config';
import { buildDataSourceOptions } from './data-source-options';
import { setRoleTimeouts, TimeoutsLogger } from './server-timeouts';

/** The advisory lock key of every migration run ("tasks-api migrations"). */
export const MIGRATION_LOCK_KEY = '7361736b73006d67';
const LOCK_KEY_SQL = `('x' || $1)::bit(64)::bigint`;

export type MigrationLogger = TimeoutsLogger;

/**
 * Applies the pending migrations in one transaction that first takes a transaction-scoped
 * advisory lock: concurrent runs queue on it, the first applies, the others find nothing pending.
 * The lock, the check and the work share one transaction, so a transaction pooler keeps them on
 * one server connection (a session lock could be released on another); a crash frees it. All
 * pending migrations apply together; one that cannot run in a transaction is refused.
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
    // The app role's statement_timeout (set below) must not cut a migration or the wait for the lock.
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
