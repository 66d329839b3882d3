import { join } from 'node:path';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { Environment } from '../config/environment';
import { Task } from '../tasks/task.entity';
import { TaskCount } from '../tasks/task-count.entity';
import { parsePostgresUrl } from './connection-url';

export type DataSourcePurpose = 'app' | 'migrations';

/** Under ts-node (dev, CLI) the migrations are the sources; in `dist/` they are compiled. */
const runningFromSources = __filename.endsWith('.ts');
export const MIGRATIONS_GLOB = runningFromSources
  ? join(__dirname, '..', '..', 'migrations', '*.ts')
  : join(__dirname, '..', 'migrations', '*.js');

/** How much longer than DATABASE_STATEMENT_TIMEOUT_MS SqlExecutor waits for an answer. */
export const QUERY_TIMEOUT_GRACE_MS = 1000;

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/**
 * The one place DataSource options are made, for the Nest app and for the typeorm CLI
 * (`ormconfig.ts`) alike, so the two cannot drift. Migrations use `DATABASE_MIGRATIONS_URL` when
 * set (Neon's direct URL): their lock works through a transaction pooler too, but a long migration
 * is better off without one.
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
    entities: [Task, TaskCount],
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
      // Nothing session-scoped in the startup packet: transaction poolers (PgBouncer, as Neon
      // runs it) refuse statement_timeout and the like there with FATAL 08P01, and some proxies
      // drop them silently. The server-side bounds are role defaults set by the migration step
      // (server-timeouts.ts); the bound that always holds is SqlExecutor's per-call deadline.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      idleTimeoutMillis: 30_000,
    },
  };
  return options;
}
