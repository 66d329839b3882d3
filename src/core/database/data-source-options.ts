import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { parsePostgresUrl } from './connection-url';
import type { DatabaseConfig } from './database.config';

/** Under ts-node (dev, CLI) the migrations are the sources; in `dist/` they are compiled. */
export const MIGRATIONS_GLOB = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', '..', 'migrations', '*.ts')
  : join(__dirname, '..', '..', 'migrations', '*.js');

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** The app's and the typeorm CLI's options; migrations use DATABASE_MIGRATIONS_URL when set. */
export function buildDataSourceOptions(
  config: DatabaseConfig,
  purpose: 'app' | 'migrations' = 'app',
  entities: DataSourceOptions['entities'] = [],
): PostgresDataSourceOptions {
  const migrations = purpose === 'migrations';
  const url = (migrations && config.DATABASE_MIGRATIONS_URL) || config.DATABASE_URL;
  return {
    type: 'postgres',
    ...parsePostgresUrl(url),
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built in (PostgreSQL 13+): no CREATE EXTENSION for a least-privilege role.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize: migrations ? 1 : config.DATABASE_POOL_SIZE,
    connectTimeoutMS: config.DATABASE_CONNECT_TIMEOUT_MS,
    applicationName: migrations ? 'tasks-api-migrations' : 'tasks-api',
    // Nothing session-scoped in the startup packet: transaction poolers refuse it (FATAL 08P01).
    extra: { keepAlive: true, keepAliveInitialDelayMillis: 10_000, idleTimeoutMillis: 30_000 },
  };
}
