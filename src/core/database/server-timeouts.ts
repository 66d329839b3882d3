import type { QueryRunner } from 'typeorm';
import type { DatabaseConfig } from './database.config';
import { parsePostgresUrl } from './connection-url';

/**
 * Server-side bounds on the app's sessions, stored as defaults of its role: the startup packet
 * cannot carry them through a transaction pooler, a session SET does not survive one, and a role
 * default reaches every server connection at no cost per query (docs/deploying-on-neon.md).
 */
export interface ServerTimeouts {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export function wantedServerTimeouts(env: DatabaseConfig): ServerTimeouts {
  return {
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS * 2,
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface TimeoutsLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * `ALTER ROLE <app user> IN DATABASE <db> SET …`, inside the migration transaction after its lock.
 * When the role may not, the migrations still commit and the warning says what to run.
 */
export async function setRoleTimeouts(
  runner: QueryRunner,
  env: DatabaseConfig,
  logger: TimeoutsLogger,
): Promise<boolean> {
  const role = parsePostgresUrl(env.DATABASE_URL).username;
  const [{ database }] = (await runner.query('SELECT current_database() AS database')) as Array<{
    database: string;
  }>;
  const wanted = wantedServerTimeouts(env);
  const target = `ALTER ROLE ${ident(role)} IN DATABASE ${ident(database)}`;
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
    return true;
  } catch (error) {
    await runner.query('ROLLBACK TO SAVEPOINT role_timeouts');
    logger.warn(
      { role, database, code: (error as { code?: string }).code, run: statements.join('; ') },
      'could not set the server-side timeouts of the app role: only the client deadline applies until someone who may runs the statements in "run"',
    );
    return false;
  }
}

/** What the startup check reads back, with the database name. */
export const SERVER_SETTINGS_QUERY = `SELECT current_database() AS database,
  (SELECT setting::int FROM pg_settings WHERE name = 'statement_timeout') AS "statementTimeoutMs",
  (SELECT setting::int FROM pg_settings WHERE name = 'idle_in_transaction_session_timeout') AS "idleInTransactionTimeoutMs"`;

export interface TimeoutsReport {
  level: 'info' | 'warn';
  fields: Record<string, number>;
  message: string;
}

/** The startup log line about the timeouts actually in effect on a server connection. */
export function describeServerTimeouts(found: ServerTimeouts, env: DatabaseConfig): TimeoutsReport {
  const wanted = wantedServerTimeouts(env);
  const deadline = env.deadlineMs;
  const fields = { ...found, clientDeadlineMs: deadline };
  if (found.statementTimeoutMs === 0) {
    return {
      level: 'warn',
      fields,
      message: `no server-side statement_timeout: only the client deadline (${deadline} ms per call) bounds a query; the migration step (npm run migration:run:prod) sets it as a default of the app role`,
    };
  }
  if (found.statementTimeoutMs !== wanted.statementTimeoutMs) {
    return {
      level: 'warn',
      fields,
      message: `server-side statement_timeout is ${found.statementTimeoutMs} ms but DATABASE_STATEMENT_TIMEOUT_MS is ${wanted.statementTimeoutMs}: run the migration step with the same value (the client deadline, ${deadline} ms per call, holds either way)`,
    };
  }
  return {
    level: 'info',
    fields,
    message: `server-side timeouts in effect: statement_timeout ${found.statementTimeoutMs} ms, idle_in_transaction_session_timeout ${found.idleInTransactionTimeoutMs} ms; client deadline ${deadline} ms per call`,
  };
}
