import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/app.module';
import type { Config } from '../../src/core/config/config';
import { DatabaseConfig } from '../../src/core/database/database.config';
import { buildDataSourceOptions } from '../../src/core/database/data-source-options';
import { TEST_JWT_SECRET } from './tokens';

/** The server the global setup provides; tests create and drop their own databases on it. */
export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests with `npm test`');
  return url;
}

export function urlForDatabase(name: string, base = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Set by test/support/pgbouncer.ts while a test file runs its apps through a pooler. */
let appUrlFor: ((databaseUrl: string) => string) | undefined;

/**
 * From now on, apps configured by `testEnvironment` connect to `route(url)` (a pooler) and run
 * migrations on `url` itself, as DATABASE_URL and DATABASE_MIGRATIONS_URL; `undefined` undoes it.
 */
export function routeAppConnections(route: ((databaseUrl: string) => string) | undefined): void {
  appUrlFor = route;
}

/**
 * For suites that send hundreds of requests as one user (the limiter would answer 429): the
 * app's own default (on) holds everywhere else.
 */
export const NO_RATE_LIMIT: Record<string, string> = { RATE_LIMIT_ENABLED: 'false' };

/**
 * The validated environment of an app under test: silent logs, a small pool, the test token
 * secret, and `overrides` on top (DATABASE_URL too, e.g. a proxy's).
 */
export function testEnvironment(
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Config {
  return loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: appUrlFor ? appUrlFor(databaseUrl) : databaseUrl,
    ...(appUrlFor ? { DATABASE_MIGRATIONS_URL: databaseUrl } : {}),
    DATABASE_POOL_SIZE: '4',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...overrides,
  });
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** The database section an app on it would have. */
  env: DatabaseConfig;
  /** A DataSource on the test database, for assertions straight on the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A fresh database with a unique name, made by the real migrations unless `migrate` is false.
 * `drop()` closes the helper's connections and drops the database even if an app still holds some.
 */
export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `tasks_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = urlForDatabase(name);
  const env = testEnvironment(url).get(DatabaseConfig);
  const dataSource = new DataSource({ ...buildDataSourceOptions(env, 'migrations'), poolSize: 2 });
  await dataSource.initialize();
  if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
  return {
    name,
    url,
    env,
    query: (sql, params) => dataSource.query(sql, params),
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
