import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { DatabaseConfig } from './database.config';
import { explainDatabaseStartupError } from './connection-url';
import { MIGRATIONS_TABLE } from './data-source-options';
import { withTimeout } from './pg-errors';

export class DatabaseStartupError extends Error {
  override name = 'DatabaseStartupError';
}

const SERVER_SETTINGS_QUERY = `SELECT current_database() AS database,
  (SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout') AS "statementTimeoutMs",
  (SELECT setting::int FROM pg_settings WHERE name = 'idle_in_transaction_session_timeout') AS "idleInTransactionTimeoutMs"`;

type ServerTimeouts = DatabaseConfig['serverTimeouts'];

/** The startup log line about the timeouts in effect on a server connection. */
export function describeServerTimeouts(found: ServerTimeouts, env: DatabaseConfig) {
  const wanted = env.serverTimeouts.statementTimeoutMs;
  const deadline = env.deadlineMs;
  const level: 'info' | 'warn' = found.statementTimeoutMs === wanted ? 'info' : 'warn';
  let message = `server-side timeouts in effect: statement_timeout ${found.statementTimeoutMs} ms, idle_in_transaction_session_timeout ${found.idleInTransactionTimeoutMs} ms; client deadline ${deadline} ms per call`;
  if (found.statementTimeoutMs === 0) {
    message = `no server-side statement_timeout: only the client deadline (${deadline} ms per call) bounds a query; the migration step (npm run migration:run:prod) sets it as a default of the app role`;
  } else if (level === 'warn') {
    message = `server-side statement_timeout is ${found.statementTimeoutMs} ms but DATABASE_STATEMENT_TIMEOUT_MS is ${wanted}: run the migration step with the same value (the client deadline, ${deadline} ms per call, holds either way)`;
  }
  return { level, fields: { ...found, clientDeadlineMs: deadline }, message };
}

/** At startup: the database answers in time; logs the timeouts in effect (a pooler may drop some). */
@Injectable()
export class DatabaseVerifier implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: DatabaseConfig,
    @InjectPinoLogger('Database') private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = performance.now();
    try {
      if (!this.dataSource.isInitialized) await this.dataSource.initialize();
      const [{ database, ...timeouts }] = await withTimeout(
        this.dataSource.query<Array<{ database: string } & ServerTimeouts>>(SERVER_SETTINGS_QUERY),
        this.env.DATABASE_CONNECT_TIMEOUT_MS,
      );
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      this.logger.info({ database, latencyMs }, 'database verified');
      const report = describeServerTimeouts(timeouts, this.env);
      this.logger[report.level](report.fields, report.message);
      await this.logMigrationState();
    } catch (error) {
      throw new DatabaseStartupError(explainDatabaseStartupError(error, this.env.DATABASE_URL));
    }
  }

  private async logMigrationState(): Promise<void> {
    const [{ hasTable }] = await this.dataSource.query<{ hasTable: boolean }[]>(
      `SELECT to_regclass($1) IS NOT NULL AS "hasTable"`,
      [MIGRATIONS_TABLE],
    );
    const pending = hasTable ? await this.dataSource.showMigrations() : true;
    if (pending) this.logger.warn('database has pending migrations: run `npm run migration:run`');
    else this.logger.info('database migrations up to date');
  }
}
