import { type Pool, type PoolClient, type QueryResult, type QueryResultRow, types } from 'pg';
import type { PreparedStatementMode } from './database.config';
import { mapPgError, timeoutError, withTimeout } from './pg-errors';

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
  deadlineMs: number;
  prepared: PreparedStatementMode;
  /** Told once when `auto` falls back to unnamed statements. */
  onUnnamed?: (code: string, statement: string) => void;
}

/** What a transaction pooler that cannot keep named statements answers, before running them. */
const NAME_CONFLICTS = new Set(['42P05', '26000']);

const TIMESTAMPTZ = 1184;
const parseTimestamptz = types.getTypeParser(TIMESTAMPTZ) as (text: string) => Date;

/** A timestamptz as ISO-8601 UTC; UTC text is rearranged without a Date (docs/architecture.md). */
export function isoTimestamp(text: string): string {
  if (text.length >= 22 && text.endsWith('+00') && text[10] === ' ' && text[4] === '-') {
    const fraction = `${text.slice(20, -3)}000`.slice(0, 3);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
  }
  return parseTimestamptz(text).toISOString();
}

const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    oid === TIMESTAMPTZ ? isoTimestamp : types.getTypeParser(oid, format),
};

/** Parameterised SQL on a pg pool, each call under one deadline, errors mapped by pg-errors. */
export class SqlExecutor implements SqlRunner {
  private prepare: boolean;

  constructor(
    private readonly poolOf: () => Pool,
    private readonly options: SqlExecutorOptions,
  ) {
    this.prepare = options.prepared !== false;
  }

  /** On the deadline the connection is destroyed, not returned: its answer may never come. */
  run<T extends QueryResultRow>(statement: Statement, values: unknown[]): Promise<SqlResult<T>> {
    const name = this.prepare ? statement.name : undefined;
    const query = { name, text: statement.text, values, types: TYPES };
    const { deadlineMs, prepared, onUnnamed } = this.options;
    return new Promise((resolve, reject) => {
      let client: PoolClient | undefined;
      let settled = false;
      const finish = (error: (Error & { code?: string }) | undefined, result?: QueryResult<T>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client?.removeListener('error', finish);
        client?.release(error);
        if (!error) return resolve({ rows: result!.rows, rowCount: result!.rowCount ?? 0 });
        const code = error.code ?? '';
        if (name === undefined || prepared !== 'auto' || !NAME_CONFLICTS.has(code)) {
          return reject(mapPgError(error));
        }
        // `auto` met a pooler that cannot keep named statements: unnamed from now on.
        if (this.prepare) onUnnamed?.(code, statement.name);
        this.prepare = false;
        resolve(this.run<T>(statement, values));
      };
      const timeout = `no answer from the database within ${deadlineMs} ms`;
      const timer = setTimeout(() => finish(timeoutError(timeout)), deadlineMs);
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
   * `work` between `begin` (BEGIN and any SET LOCAL) and COMMIT, or ROLLBACK. Statements run
   * unnamed: a name conflict would abort the transaction, not be retried.
   */
  async transaction<T>(begin: string, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const connecting = this.poolOf().connect();
    const client = await withTimeout(connecting, this.options.deadlineMs).catch((error) => {
      void connecting.then((late) => late.release()).catch(() => undefined);
      throw mapPgError(error);
    });
    let broken: Error | undefined;
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    const query = <R extends QueryResultRow>(text: string, values: unknown[] = []) =>
      withTimeout(client.query<R>({ text, values, types: TYPES }), this.options.deadlineMs).then(
        ({ rows, rowCount }) => ({ rows, rowCount: rowCount ?? 0 }),
        (error: Error & { code?: string }) => {
          // Anything but an SQLSTATE: the connection's state is unknown.
          if (!/^[0-9A-Z]{5}$/.test(error.code ?? '')) broken = error;
          throw mapPgError(error);
        },
      );
    const tx: SqlRunner = { run: (statement, values) => query(statement.text, values) };
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

  poolStats() {
    const pool = this.poolOf() as Pool | undefined;
    return {
      total: pool?.totalCount ?? 0,
      idle: pool?.idleCount ?? 0,
      waiting: pool?.waitingCount ?? 0,
      max: pool?.options.max ?? 0,
    };
  }
}
