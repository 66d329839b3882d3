import { DataSource } from 'typeorm';
import type { Environment } from '../config/environment';
import { buildDataSourceOptions } from './data-source-options';

/**
 * The advisory lock key every migration run takes (an arbitrary constant, "tasks-api migrations").
 * A session lock, so it needs a direct connection: over PgBouncer in transaction mode use
 * DATABASE_MIGRATIONS_URL.
 */
export const MIGRATION_LOCK_KEY = '7361736b73006d67';
const LOCK_KEY_SQL = `('x' || $1)::bit(64)::bigint`;

export interface MigrationLogger {
  info(fields: object, message: string): void;
}

/**
 * Applies the pending migrations, each in its own transaction, while holding a PostgreSQL
 * advisory lock on a connection of its own. Runs started together (several Job pods, init
 * containers, replicas with MIGRATIONS_RUN_ON_STARTUP) queue on the lock: the first applies, the
 * others find nothing pending, and all succeed. Returns the names it applied.
 */
export async function runMigrationsLocked(
  env: Environment,
  logger: MigrationLogger,
): Promise<string[]> {
  // Two connections: one holds the lock, the other runs the migrations.
  const dataSource = new DataSource({ ...buildDataSourceOptions(env, 'migrations'), poolSize: 2 });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    const started = performance.now();
    logger.info({}, 'waiting for the migration lock');
    await lock.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`, [MIGRATION_LOCK_KEY]);
    const waitedMs = Math.round(performance.now() - started);
    logger.info({ waitedMs }, 'migration lock acquired');
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied)
        logger.info({ migration: migration.name }, 'migration applied');
      logger.info(
        { applied: applied.length, ms: Math.round(performance.now() - started) },
        applied.length === 0 ? 'no pending migrations' : 'migrations complete',
      );
      return applied.map((m) => m.name);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`, [MIGRATION_LOCK_KEY]);
      logger.info({}, 'migration lock released');
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
