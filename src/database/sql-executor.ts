import { Injectable } from '@nestjs/common';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Environment } from '../config/environment';
import { QUERY_TIMEOUT_GRACE_MS } from './data-source-options';
import { mapPgError } from './pg-error-mapper';
import { withTimeout } from './with-timeout';

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
 * Runs parameterised SQL on the pool of TypeORM's DataSource. The hot paths of the API use it
 * instead of the QueryBuilder: rows go straight back to JSON, so entity hydration is wasted work,
 * and TypeORM cannot use named prepared statements, which save PostgreSQL a parse per query.
 * Every driver error leaves here as a DataLayerError.
 */
@Injectable()
export class SqlExecutor {
  private readonly prepare: boolean;
  /**
   * One bound for the whole call, waiting for a pooled connection included: pg's own timeouts
   * cover connecting and running separately, so a request that queued for a connection while the
   * network went silent could otherwise wait for both (about 11 s with the defaults).
   */
  private readonly deadlineMs: number;

  constructor(
    private readonly dataSource: DataSource,
    env: Environment,
  ) {
    this.prepare = env.DATABASE_PREPARED_STATEMENTS;
    this.deadlineMs = env.DATABASE_STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_GRACE_MS;
  }

  /** Read on use: the DataSource opens its pool at bootstrap (DatabaseVerifier), after this exists. */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  async run<T extends QueryResultRow>(
    statement: Statement,
    values: unknown[],
  ): Promise<SqlResult<T>> {
    try {
      const result = await withTimeout(
        this.pool.query<T>({
          name: this.prepare ? statement.name : undefined,
          text: statement.text,
          values,
        }),
        this.deadlineMs,
      );
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw mapPgError(error);
    }
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
