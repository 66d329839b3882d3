import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type QueryResult } from 'pg';
import type { AuthConfig } from './auth.config';
import { isValidUserId } from '../validation/user-id';
import { ExpiringCache } from './expiring-cache';
import { SQL_IDENTIFIER, SQL_TABLE_NAME } from './sql-identifiers';
import {
  AuthenticatedUser,
  SessionStoreUnavailableError,
  TokenRejectedError,
} from './token-errors';

/** Session tokens longer than this are not looked up (Better Auth's are 32 characters). */
export const SESSION_TOKEN_MAX_LENGTH = 256;
export const SESSION_CACHE_MAX_ENTRIES = 10_000;
/** Distinct tokens being looked up at once; beyond it the store is treated as overloaded (503). */
export const SESSION_LOOKUPS_MAX_PENDING = 256;

export interface SessionStoreConfig {
  url: string;
  table: string;
  tokenColumn: string;
  userIdColumn: string;
  expiresAtColumn: string;
  /** How long a lookup's answer, found or not, is reused (never past the session's expiry). */
  cacheMs: number;
  poolSize: number;
  connectTimeoutMs: number;
  /** One bound for a lookup, waiting for a connection included. */
  deadlineMs: number;
}

export function sessionStoreConfigFrom(env: AuthConfig): SessionStoreConfig {
  return {
    url: env.sessions.url,
    table: env.AUTH_SESSIONS_TABLE,
    tokenColumn: env.AUTH_SESSIONS_TOKEN_COLUMN,
    userIdColumn: env.AUTH_SESSIONS_USER_ID_COLUMN,
    expiresAtColumn: env.AUTH_SESSIONS_EXPIRES_AT_COLUMN,
    cacheMs: env.AUTH_SESSIONS_CACHE_MS,
    poolSize: env.AUTH_SESSIONS_POOL_SIZE,
    connectTimeoutMs: env.sessions.connectTimeoutMs,
    deadlineMs: env.sessions.deadlineMs,
  };
}

/** Quoted, so Better Auth's camelCase names keep their case; the patterns above admit no quote. */
const quoted = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

export function sessionLookupSql(config: SessionStoreConfig): string {
  for (const column of [config.tokenColumn, config.userIdColumn, config.expiresAtColumn]) {
    if (!SQL_IDENTIFIER.test(column)) throw new Error('invalid session column name');
  }
  if (!SQL_TABLE_NAME.test(config.table)) throw new Error('invalid session table name');
  return `SELECT ${quoted(config.userIdColumn)}::text AS user_id, ${quoted(config.expiresAtColumn)} AS expires_at
    FROM ${quoted(config.table)} WHERE ${quoted(config.tokenColumn)} = $1 LIMIT 1`;
}

interface SessionRow {
  user_id: string | null;
  expires_at: Date | string | null;
}

type Outcome = { user: AuthenticatedUser } | { refused: TokenRejectedError };

/**
 * Better Auth's opaque session tokens, looked up in its `session` table (issue 11). One SELECT
 * by token, unnamed and outside any transaction, so it works through a transaction pooler.
 *
 * - Answers are cached for `cacheMs`, found ones never past the session's `expiresAt`: a session
 *   deleted by sign-out stops working within `cacheMs`.
 * - Unknown tokens are cached too (bounded), and concurrent lookups of one token share one
 *   query, so repeating a token costs the database nothing; distinct tokens are bounded by
 *   SESSION_LOOKUPS_MAX_PENDING and by the refused-request limit per client address.
 * - Cache keys are SHA-256 digests: the token itself is kept nowhere, so it cannot reach a log
 *   or a heap dump through here.
 * - Its own small pool, every lookup under one deadline (connection wait included), like
 *   SqlExecutor's; the store not answering is SessionStoreUnavailableError (503), never a 401.
 */
export class SessionStore {
  private readonly pool: Pool;
  private readonly text: string;
  private readonly answers = new ExpiringCache<Outcome>(SESSION_CACHE_MAX_ENTRIES);
  private readonly pending = new Map<string, Promise<Outcome>>();
  /** Queries sent, for tests and figures. */
  queries = 0;

  constructor(private readonly config: SessionStoreConfig) {
    this.text = sessionLookupSql(config);
    this.pool = new Pool({
      connectionString: config.url,
      max: config.poolSize,
      connectionTimeoutMillis: config.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection dropped by the server: the next lookup opens another.
    this.pool.on('error', () => undefined);
  }

  async lookup(token: string): Promise<AuthenticatedUser> {
    if (token.length > SESSION_TOKEN_MAX_LENGTH) throw new TokenRejectedError('malformed');
    const key = createHash('sha256').update(token).digest('base64url');
    const outcome = this.answers.get(key) ?? (await this.shared(key, token));
    if ('user' in outcome) return outcome.user;
    throw outcome.refused;
  }

  private shared(key: string, token: string): Promise<Outcome> {
    let query = this.pending.get(key);
    if (query === undefined) {
      if (this.pending.size >= SESSION_LOOKUPS_MAX_PENDING) {
        throw new SessionStoreUnavailableError(new Error('too many session lookups waiting'));
      }
      query = this.query(key, token).finally(() => this.pending.delete(key));
      this.pending.set(key, query);
    }
    return query;
  }

  private async query(key: string, token: string): Promise<Outcome> {
    let rows: SessionRow[];
    try {
      ({ rows } = await this.run(token));
    } catch (error) {
      throw new SessionStoreUnavailableError(describePgError(error));
    }
    const now = Date.now();
    const outcome = judge(rows[0], now);
    const expiresAt = 'user' in outcome ? sessionExpiry(rows[0]) : Infinity;
    this.answers.set(key, outcome, Math.min(now + this.config.cacheMs, expiresAt));
    return outcome;
  }

  /** pool.connect and the query under one deadline; a connection that timed out is destroyed. */
  private run(token: string): Promise<QueryResult<SessionRow>> {
    this.queries += 1;
    return new Promise((resolve, reject) => {
      let client: PoolClient | undefined;
      let settled = false;
      const finish = (error: Error | undefined, result?: QueryResult<SessionRow>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client?.removeListener('error', finish);
        client?.release(error);
        if (error) reject(error);
        else resolve(result!);
      };
      const timer = setTimeout(
        () =>
          finish(
            Object.assign(new Error(`no answer within ${this.config.deadlineMs} ms`), {
              code: 'ETIMEDOUT',
            }),
          ),
        this.config.deadlineMs,
      );
      this.pool.connect((connectError, connected, release) => {
        if (settled) {
          if (connected) release();
          return;
        }
        if (connectError || !connected) return finish(connectError ?? new Error('no connection'));
        client = connected;
        connected.once('error', finish);
        connected.query<SessionRow>({ text: this.text, values: [token] }, finish);
      });
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function judge(row: SessionRow | undefined, now: number): Outcome {
  if (row === undefined) return { refused: new TokenRejectedError('unknown_session') };
  if (!(sessionExpiry(row) > now)) return { refused: new TokenRejectedError('expired') };
  if (!isValidUserId(row.user_id)) return { refused: new TokenRejectedError('subject') };
  return { user: { id: row.user_id } };
}

/** Epoch ms; NaN (never valid) when the column holds no date. */
function sessionExpiry(row: SessionRow): number {
  return row.expires_at === null ? NaN : new Date(row.expires_at).getTime();
}

/**
 * What an operator needs (the SQLSTATE, the socket code, "relation does not exist"), never the
 * statement's values: data errors (class 22, e.g. a uuid column's "invalid input syntax") quote
 * the value, which is the token, so only their code is kept.
 */
function describePgError(error: unknown): Error {
  const { code, message } = error as { code?: string; message?: string };
  if (code === undefined) return new Error(String(message));
  return new Error(code.startsWith('22') ? `data error (${code})` : `${String(message)} (${code})`);
}
