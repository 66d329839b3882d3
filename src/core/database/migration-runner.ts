import { escapeIdentifier } from 'pg';
import { DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';
import type { DatabaseConfig } from './database.config';
import { buildDataSourceOptions } from './data-source-options';
import { parsePostgresUrl } from './connection-url';

/** The advisory lock key of every migration run ("tasks-api migrations"). */
const MIGRATION_LOCK_KEY = '7361736b73006d67';

export type MigrationLogger = Record<'info' | 'warn', (fields: object, message: string) => void>;

/** Runs queue on a transaction-scoped lock, which a pooler keeps on one server connection. */
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
    const lock = `SELECT pg_advisory_xact_lock(('x' || $1)::bit(64)::bigint)`;
    await runner.query(lock, [MIGRATION_LOCK_KEY]);
    logger.info({ waitedMs: Math.round(performance.now() - started) }, 'migration lock acquired');
    let applied;
    try {
      // Its default mode, 'all', in a transaction already open: TypeORM neither begins nor commits.
      applied = await new MigrationExecutor(dataSource, runner).executePendingMigrations();
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

/** Role defaults: a transaction pooler passes neither the startup packet nor a session SET. */
async function setRoleTimeouts(
  runner: QueryRunner,
  env: DatabaseConfig,
  logger: MigrationLogger,
): Promise<void> {
  const role = parsePostgresUrl(env.DATABASE_URL).username;
  const [{ database }] = (await runner.query('SELECT current_database() AS database')) as Array<{
    database: string;
  }>;
  const wanted = env.serverTimeouts;
  const target = `ALTER ROLE ${escapeIdentifier(role)} IN DATABASE ${escapeIdentifier(database)}`;
  const statements = [
    `${target} SET statement_timeout = ${wanted.statementTimeoutMs}`,
    `${target} SET idle_in_transaction_session_timeout = ${wanted.idleInTransactionTimeoutMs}`,
  ];
  await runner.query('SAVEPOINT role_timeouts');
  try {
    for (const statement of statements) await runner.query(statement);
    await runner.query('RELEASE SAVEPOINT role_timeouts');
    logger.info(
      { role, database, ...wanted },
      'server-side timeouts set as defaults of the app role (new connections pick them up)',
    );
  } catch (error) {
    await runner.query('ROLLBACK TO SAVEPOINT role_timeouts');
    logger.warn(
      { role, database, code: (error as { code?: string }).code, run: statements.join('; ') },
      'could not set the server-side timeouts of the app role: only the client deadline applies until someone who may runs the statements in "run"',
    );
  }
}
