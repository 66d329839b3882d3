import { AppConfig } from '../config/app.config';
import { loadConfig } from '../config/config';
import { DatabaseConfig } from './database.config';
import { buildDataSourceOptions, MIGRATIONS_GLOB, MIGRATIONS_TABLE } from './data-source-options';
import { withTimeout } from './pg-errors';

const env = (extra: Record<string, string> = {}) =>
  loadConfig(
    {
      DATABASE_URL: 'postgres://app:pw@pooled.example.com:6543/tasks?sslmode=require',
      DATABASE_POOL_SIZE: '7',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
      ...extra,
    },
    [AppConfig, DatabaseConfig],
  ).get(DatabaseConfig);

describe('buildDataSourceOptions', () => {
  it('builds the app pool from DATABASE_URL with its limits', () => {
    const options = buildDataSourceOptions(env());
    expect(options).toMatchObject({
      type: 'postgres',
      host: 'pooled.example.com',
      port: 6543,
      username: 'app',
      password: 'pw',
      database: 'tasks',
      ssl: { rejectUnauthorized: false },
      migrationsTableName: MIGRATIONS_TABLE,
      migrations: [MIGRATIONS_GLOB],
      poolSize: 7,
      connectTimeoutMS: 5000,
      applicationName: 'tasks-api',
    });
    // TypeORM's defaults: no schema synchronisation, no migrations at startup, no query logging.
    expect(options.synchronize || options.migrationsRun || options.logging).toBeFalsy();
    // Nothing session-scoped in the startup packet (a transaction pooler refuses it), and the
    // client-side deadline is SqlExecutor's own, not pg's query_timeout.
    for (const parameter of [
      'statement_timeout',
      'idle_in_transaction_session_timeout',
      'lock_timeout',
      'options',
      'query_timeout',
    ]) {
      expect(options.extra).not.toHaveProperty(parameter);
    }
    // Under ts-jest the migrations are the TypeScript sources.
    expect(MIGRATIONS_GLOB).toMatch(/migrations[\\/]\*\.ts$/);
  });

  it('uses DATABASE_MIGRATIONS_URL for migrations, one connection', () => {
    const options = buildDataSourceOptions(
      env({ DATABASE_MIGRATIONS_URL: 'postgres://owner@direct.example.com/tasks' }),
      'migrations',
    );
    expect(options).toMatchObject({
      host: 'direct.example.com',
      username: 'owner',
      ssl: false,
      poolSize: 1,
      applicationName: 'tasks-api-migrations',
    });
    expect(options.extra).not.toHaveProperty('statement_timeout');
  });

  it('falls back to DATABASE_URL for migrations', () => {
    expect(buildDataSourceOptions(env(), 'migrations').host).toBe('pooled.example.com');
  });
});

describe('withTimeout', () => {
  it('passes the result through when the work is in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000)).resolves.toBe(42);
  });

  it('rejects with ETIMEDOUT when the work takes longer', async () => {
    const never = new Promise(() => undefined);
    await expect(withTimeout(never, 10)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });
});
