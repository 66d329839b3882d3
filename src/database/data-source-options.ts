import { join } from 'node:path';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { Environment } from '../config/environment';
import { Task } from '../tasks/task.entity';
import { parsePostgresUrl } from './connection-url';

export type DataSourcePurpose = 'app' | 'migrations';

/** Under ts-node (dev, CLI) the migrations are the sources; in `dist/` they are compiled. */
const runningFromSources = __filename.endsWith('.ts');
export const MIGRATIONS_GLOB = runningFromSources
  ? join(__dirname, '..', '..', 'migrations', '*.ts')
  : join(__dirname, '..', 'migrations', '*.js');

/** How much longer than the server's statement_timeout SqlExecutor waits for an answer. */
export const QUERY_TIMEOUT_GRACE_MS = 1000;

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/**
 * The one place DataSource options are made, for the Nest app and for the typeorm CLI
 * (`ormconfig.ts`) alike, so the two cannot drift. Migrations use `DATABASE_MIGRATIONS_URL` when
 * set: a pooled endpoint (PgBouncer in transaction mode) cannot hold the session lock they need.
 */
export function buildDataSourceOptions(
  env: Environment,
  purpose: DataSourcePurpose = 'app',
): PostgresDataSourceOptions {
  const url =
    purpose === 'migrations' ? (env.DATABASE_MIGRATIONS_URL ?? env.DATABASE_URL) : env.DATABASE_URL;
  const { host, port, username, password, database, ssl } = parsePostgresUrl(url);
  const options: PostgresDataSourceOptions = {
    type: 'postgres',
    host,
    port,
    username,
    password,
    database,
    ssl,
    entities: [Task],
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built in (PostgreSQL 13+): no CREATE EXTENSION, so a least-privilege
    // role can run the app.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    poolSize: purpose === 'migrations' ? 1 : env.DATABASE_POOL_SIZE,
    connectTimeoutMS: env.DATABASE_CONNECT_TIMEOUT_MS,
    applicationName: purpose === 'migrations' ? 'tasks-api-migrations' : 'tasks-api',
    extra: {
      // Server-side limit. The client-side one, a little later, that also fires when the server
      // cannot answer at all (packets lost) is SqlExecutor's per-call deadline, not pg's
      // query_timeout (see SqlExecutor.run for why).
      statement_timeout: purpose === 'migrations' ? 0 : env.DATABASE_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS * 2,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      idleTimeoutMillis: 30_000,
    },
  };
  return options;
}
