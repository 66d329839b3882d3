import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Environment, PreparedStatementMode } from '../config/environment';
import { mapPgError } from './pg-error-mapper';
import { clientDeadlineMs } from './server-timeouts';

/** A fixed SQL text with a stable name, prepared once per connection when enabled. */
export interface Statement {
  name: string;
  text: string;
}

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * `prepared statement "…" already exists` (42P05, at Parse) and `… does not exist` (26000, at
 * Bind): what a transaction pooler that cannot keep named statements (PgBouncer < 1.21, or
 * max_prepared_statements = 0) makes of them, when a call lands on another server connection than
 * the one that prepared its name. Both are raised before the statement runs, so a retry is safe.
 */
const STATEMENT_NAME_CONFLICTS = new Set(['42P05', '26000']);

/** What the deadline rejects with; the error mapping reads ETIMEDOUT as "database unavailable". */
function deadlineError(ms: number): Error {
  return Object.assign(new Error(`no answer from the database within ${ms} ms`), {
    code: 'ETIMEDOUT',
  });
}

/**
 * Runs parameterised SQL on the pool of TypeORM's DataSource. The hot paths of the API use it
 * instead of the QueryBuilder: rows go straight back to JSON, so entity hydration is wasted work,
 * and TypeORM cannot use named prepared statements, which save PostgreSQL a parse per query.
 * Every driver error leaves here as a DataLayerError.
 */
@Injectable()
export class SqlExecutor {
  private readonly preparedMode: PreparedStatementMode;
  /** Named statements in use; `auto` turns this off for good on a name conflict. */
  private prepare: boolean;
  /**
   * One bound for the whole call, waiting for a pooled connection included: pg's own timeouts
   * cover connecting and running separately, so a request that queued for a connection while the
   * network went silent could otherwise wait for both (about 11 s with the defaults).
   */
  private readonly deadlineMs: number;

  constructor(
    private readonly dataSource: DataSource,
    env: Environment,
    @InjectPinoLogger('Database') private readonly logger: PinoLogger,
  ) {
    this.preparedMode = env.DATABASE_PREPARED_STATEMENTS;
    this.prepare = this.preparedMode !== false;
    this.deadlineMs = clientDeadlineMs(env);
  }

  /** Read on use: the DataSource opens its pool at bootstrap (DatabaseVerifier), after this exists. */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * Takes a pooled connection, runs the statement, gives the connection back. When the deadline
   * passes first, the call fails with ETIMEDOUT and the connection is destroyed rather than
   * returned: its answer may never come (a silent network), and a later one would be out of step.
   * A connection that arrives after the deadline goes straight back to the pool.
   *
   * The deadline is this one timer rather than pg's `query_timeout`: with that option set, pg
   * kept every answered query's rows alive long enough to be promoted to the old generation
   * (about 2.7 MB per scavenge at 32 concurrent list queries), and ran 20% fewer queries.
   *
   * With DATABASE_PREPARED_STATEMENTS=auto, a named statement refused as a name conflict switches
   * the process to unnamed statements and the call runs once more, unnamed, so no caller sees it.
   */
  run<T extends QueryResultRow>(statement: Statement, values: unknown[]): Promise<SqlResult<T>> {
    const query = { name: this.prepare ? statement.name : undefined, text: statement.text, values };
    return new Promise((resolve, reject) => {
      let client: PoolClient | undefined;
      let settled = false;
      /** The first outcome wins. The connection goes back (destroyed after any error, as pool.query does). */
      const finish = (error: Error | undefined, result?: QueryResult<T>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (client) {
          client.removeListener('error', finish);
          client.release(error);
        }
        if (!error) resolve({ rows: result!.rows, rowCount: result!.rowCount ?? 0 });
        else if (query.name !== undefined && this.isNameConflict(error))
          resolve(this.runUnnamed<T>(statement, values, error));
        else reject(mapPgError(error));
      };
      const timer = setTimeout(() => finish(deadlineError(this.deadlineMs)), this.deadlineMs);
      this.pool.connect((connectError, connected, release) => {
        if (settled) {
          if (connected) release();
          return;
        }
        if (connectError || !connected) {
          finish(connectError ?? new Error('no connection'));
          return;
        }
        client = connected;
        // A socket error while the connection is ours (pg-pool listens only while it is idle).
        connected.once('error', finish);
        connected.query<T>(query, finish);
      });
    });
  }

  private isNameConflict(error: Error): boolean {
    return (
      this.preparedMode === 'auto' &&
      STATEMENT_NAME_CONFLICTS.has((error as { code?: string }).code ?? '')
    );
  }

  /** The first conflict switches (one warning); calls already in flight with a name retry too. */
  private runUnnamed<T extends QueryResultRow>(
    statement: Statement,
    values: unknown[],
    error: Error,
  ): Promise<SqlResult<T>> {
    if (this.prepare) {
      this.prepare = false;
      this.logger.warn(
        { code: (error as { code?: string }).code, statement: statement.name },
        'the database refused a named prepared statement (a transaction pooler that cannot keep them, e.g. PgBouncer before 1.21 or with max_prepared_statements = 0): unnamed statements from now on; DATABASE_PREPARED_STATEMENTS=false starts that way',
      );
    }
    return this.run<T>(statement, values);
  }

  /** Pool figures for metrics and health: connections busy, idle, and callers waiting. */
  poolStats(): { total: number; idle: number; waiting: number } {
    return {
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
    };
  }
}
