import { type Pool, type PoolClient, type QueryResult, type QueryResultRow, types } from 'pg';
import type { PreparedStatementMode } from './database.config';
import { mapPgError, withTimeout } from './pg-errors';

/** A fixed SQL text with a stable name, prepared once per connection when enabled. */
export interface Statement {
  name: string;
  text: string;
}

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/** What runs a statement: the executor on its pool, or one transaction's connection. */
export interface SqlRunner {
  run<T extends QueryResultRow>(statement: Statement, values: unknown[]): Promise<SqlResult<T>>;
}

export interface SqlExecutorOptions {
  /** One bound for a call, waiting for a pooled connection included. */
  deadlineMs: number;
  prepared: PreparedStatementMode;
  /** Told once when `auto` falls back to unnamed statements. */
  onUnnamed?: (code: string, statement: string) => void;
}

/**
 * 42P05 (`already exists`, at Parse) and 26000 (`does not exist`, at Bind): what a transaction
 * pooler that cannot keep named statements makes of them. Both come before the statement runs.
 */
const NAME_CONFLICTS = new Set(['42P05', '26000']);

const TIMESTAMPTZ = 1184;
const parseTimestamptz = types.getTypeParser(TIMESTAMPTZ) as (text: string) => Date;

/**
 * A timestamptz as the API shows it, ISO-8601 UTC with milliseconds. The server's text in UTC
 * (`2026-01-14 12:00:00.12+00`) is rearranged without a Date in between: parsing one and printing
 * it again cost more than the rest of a GET's own work; any other offset goes through a Date.
 */
export function isoTimestamp(text: string): string {
  if (text.length >= 22 && text.endsWith('+00') && text[10] === ' ' && text[4] === '-') {
    const fraction = `${text.slice(20, -3)}000`.slice(0, 3);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
  }
  return parseTimestamptz(text).toISOString();
}

/** Our statements read timestamptz as ISO text; everything else as node-postgres does. */
const TYPES = {
  getTypeParser: (oid: number, format?: string): ((value: string) => unknown) =>
    oid === TIMESTAMPTZ
      ? isoTimestamp
      : (types.getTypeParser(oid, format as 'text') as (value: string) => unknown),
};

function deadlineError(ms: number): Error {
  return Object.assign(new Error(`no answer from the database within ${ms} ms`), {
    code: 'ETIMEDOUT',
  });
}

/**
 * Parameterised SQL on a pg pool, every call under one deadline, every driver error mapped to the
 * data layer's (pg-errors.ts). The app's repositories and the session store each run one.
 */
export class SqlExecutor implements SqlRunner {
  private prepare: boolean;

  constructor(
    private readonly poolOf: () => Pool,
    private readonly options: SqlExecutorOptions,
  ) {
    this.prepare = options.prepared !== false;
  }

  /**
   * On the deadline the call fails with ETIMEDOUT and the connection is destroyed, not returned:
   * its answer may never come. (pg's `query_timeout` kept answered rows alive long enough to reach
   * the old generation.) Under `auto`, a name conflict switches to unnamed statements and retries.
   */
  run<T extends QueryResultRow>(statement: Statement, values: unknown[]): Promise<SqlResult<T>> {
    const name = this.prepare ? statement.name : undefined;
    const query = { name, text: statement.text, values, types: TYPES };
    const { deadlineMs } = this.options;
    return new Promise((resolve, reject) => {
      let client: PoolClient | undefined;
      let settled = false;
      const finish = (error: Error | undefined, result?: QueryResult<T>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client?.removeListener('error', finish);
        client?.release(error);
        if (!error) resolve({ rows: result!.rows, rowCount: result!.rowCount ?? 0 });
        else if (query.name !== undefined && this.isNameConflict(error))
          resolve(this.runUnnamed<T>(statement, values, error));
        else reject(mapPgError(error));
      };
      const timer = setTimeout(() => finish(deadlineError(deadlineMs)), deadlineMs);
      this.poolOf().connect((connectError, connected, release) => {
        if (settled) return connected && release();
        if (connectError || !connected) return finish(connectError ?? new Error('no connection'));
        client = connected;
        // A socket error while the connection is ours (pg-pool listens only while it is idle).
        connected.once('error', finish);
        connected.query<T>(query, finish);
      });
    });
  }

  /**
   * `work` on one connection between `begin` (BEGIN and any SET LOCAL, no parameters) and COMMIT;
   * ROLLBACK when it throws, the connection destroyed if that fails or a call passed its deadline.
   * Statements run unnamed: a name conflict there would abort the transaction, not be retried.
   */
  async transaction<T>(begin: string, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const connecting = this.poolOf().connect();
    const client = await withTimeout(connecting, this.options.deadlineMs).catch((error) => {
      void connecting.then(
        (late) => late.release(),
        () => undefined,
      );
      throw mapPgError(error);
    });
    let broken: Error | undefined;
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    const query = <R extends QueryResultRow>(text: string, values: unknown[] = []) =>
      withTimeout(client.query<R>({ text, values, types: TYPES }), this.options.deadlineMs).catch(
        (error: Error & { code?: string }) => {
          // Anything but an SQLSTATE: the connection's state is unknown.
          if (!/^[0-9A-Z]{5}$/.test(error.code ?? '')) broken = error;
          throw mapPgError(error);
        },
      );
    const tx: SqlRunner = {
      run: async <R extends QueryResultRow>(statement: Statement, values: unknown[]) => {
        const { rows, rowCount } = await query<R>(statement.text, values);
        return { rows, rowCount: rowCount ?? 0 };
      },
    };
    try {
      await query(begin);
      const result = await work(tx);
      await query('COMMIT');
      return result;
    } catch (error) {
      if (!broken) await query('ROLLBACK').catch(lost);
      throw error;
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
    }
  }

  private isNameConflict(error: Error): boolean {
    const code = (error as { code?: string }).code ?? '';
    return this.options.prepared === 'auto' && NAME_CONFLICTS.has(code);
  }

  private runUnnamed<T extends QueryResultRow>(
    statement: Statement,
    values: unknown[],
    error: Error,
  ): Promise<SqlResult<T>> {
    if (this.prepare) {
      this.prepare = false;
      this.options.onUnnamed?.((error as { code?: string }).code ?? '', statement.name);
    }
    return this.run<T>(statement, values);
  }

  /** Connections open, idle, callers waiting, and the most there may be, for metrics. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } {
    const pool = this.poolOf() as Pool | undefined;
    if (!pool) return { total: 0, idle: 0, waiting: 0, max: 0 };
    return {
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max,
    };
  }
}
