import { ConfigSection } from '../config/config';
import { EnvBool, EnvChoice, EnvInt, EnvOptional, EnvRequired } from '../config/env.decorators';
import { isPostgresUrl, POSTGRES_URL, Satisfies } from '../config/validators';

export const PREPARED_STATEMENT_MODES = ['auto', true, false] as const;
export type PreparedStatementMode = (typeof PREPARED_STATEMENT_MODES)[number];

@ConfigSection('database')
export class DatabaseConfig {
  @EnvRequired(Satisfies(isPostgresUrl, POSTGRES_URL))
  DATABASE_URL: string;

  /** Where migrations run (Neon's direct URL); unset: DATABASE_URL. */
  @EnvOptional(Satisfies(isPostgresUrl, POSTGRES_URL))
  DATABASE_MIGRATIONS_URL?: string;

  @EnvInt(1, 1000)
  DATABASE_POOL_SIZE = 10;

  @EnvInt(100, 600_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  @EnvInt(100, 3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 5000;

  /** Named prepared statements; `auto`: until a pooler refuses them (SqlExecutor). */
  @EnvChoice(PREPARED_STATEMENT_MODES)
  DATABASE_PREPARED_STATEMENTS: PreparedStatementMode = 'auto';

  /** Run pending migrations at startup, under the migration step's lock. */
  @EnvBool()
  MIGRATIONS_RUN_ON_STARTUP = false;

  /** The one bound of a database call: the statement timeout and a second to get a connection. */
  get deadlineMs(): number {
    return this.DATABASE_STATEMENT_TIMEOUT_MS + 1000;
  }

  /** What the migration step sets as the app role's defaults (migration-runner.ts). */
  get serverTimeouts() {
    const statementTimeoutMs = this.DATABASE_STATEMENT_TIMEOUT_MS;
    return { statementTimeoutMs, idleInTransactionTimeoutMs: statementTimeoutMs * 2 };
  }
}
