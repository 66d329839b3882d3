import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Pool } from 'pg';
import { SqlExecutor } from '../database/sql-executor';
import { isValidUserId } from '../validation/identifiers';
import { AuthConfig, SQL_IDENTIFIER, SQL_TABLE_NAME } from './auth.config';
import { SessionStoreUnavailableError, TokenRejectedError } from './auth.errors';
import type { AuthenticatedUser } from './decorators';

/** Session tokens longer than this are not looked up (Better Auth's are 32 characters). */
const SESSION_TOKEN_MAX_LENGTH = 256;
/** Distinct tokens being looked up at once; beyond it the store is treated as overloaded (503). */
export const SESSION_LOOKUPS_MAX_PENDING = 256;

/** Least recently used out first when full; each entry expires on its own (on Date.now()). */
export function ttlCache<V extends object>(max: number): LRUCache<string, V> {
  return new LRUCache<string, V>({ max, perf: Date, ttlResolution: 0 });
}

/** Keeps `value` strictly before epoch ms `until` (lru-cache's TTL includes its last millisecond). */
export function cacheUntil<V extends object>(
  cache: LRUCache<string, V>,
  key: string,
  value: V,
  until: number,
  now = Date.now(),
): void {
  if (until - now > 1) cache.set(key, value, { ttl: until - now - 1, start: now });
}

/** Quoted, so Better Auth's camelCase names keep their case; the patterns admit no quote. */
const quoted = (name: string) => `"${name.split('.').join('"."')}"`;

export function sessionLookupSql(config: AuthConfig): string {
  const columns = [
    config.AUTH_SESSIONS_USER_ID_COLUMN,
    config.AUTH_SESSIONS_EXPIRES_AT_COLUMN,
    config.AUTH_SESSIONS_TOKEN_COLUMN,
  ];
  const table = config.AUTH_SESSIONS_TABLE;
  if (!columns.every((c) => SQL_IDENTIFIER.test(c))) throw new Error('invalid session column name');
  if (!SQL_TABLE_NAME.test(table)) throw new Error('invalid session table name');
  const [userId, expiresAt, token] = columns.map(quoted);
  return `SELECT ${userId}::text AS user_id, ${expiresAt} AS expires_at
    FROM ${quoted(table)} WHERE ${token} = $1 LIMIT 1`;
}

interface SessionRow {
  user_id: string | null;
  expires_at: Date | string | null;
}

type Outcome = { user: AuthenticatedUser } | { refused: TokenRejectedError };

/**
 * Better Auth's session tokens, looked up unnamed (a transaction pooler may be in front), one query
 * per token at a time; answers cached by the token's SHA-256, so the token is kept nowhere.
 */
export class SessionStore {
  private readonly statement = { name: 'session_lookup', text: sessionLookupSql(this.config) };
  private readonly pool = new Pool({
    connectionString: this.config.sessions.url,
    max: this.config.AUTH_SESSIONS_POOL_SIZE,
    connectionTimeoutMillis: this.config.sessions.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  private readonly sql = new SqlExecutor(() => this.pool, {
    deadlineMs: this.config.sessions.deadlineMs,
    prepared: false,
  });
  private readonly answers = ttlCache<Outcome>(10_000);
  private readonly pending = new Map<string, Promise<Outcome>>();
  /** Queries sent, for tests. */
  queries = 0;

  constructor(private readonly config: AuthConfig) {
    // An idle connection dropped by the server: the next lookup opens another.
    this.pool.on('error', () => undefined);
  }

  /** `spend` is called before a lookup that no cached answer spares. */
  async lookup(token: string, spend?: () => Promise<void>): Promise<AuthenticatedUser> {
    if (token.length > SESSION_TOKEN_MAX_LENGTH) throw new TokenRejectedError('malformed');
    const key = createHash('sha256').update(token).digest('base64url');
    let outcome = this.answers.get(key);
    if (outcome === undefined) {
      await spend?.();
      outcome = await this.shared(key, token);
    }
    if ('user' in outcome) return outcome.user;
    throw outcome.refused;
  }

  private shared(key: string, token: string): Promise<Outcome> {
    const pending = this.pending.get(key);
    if (pending !== undefined) return pending;
    if (this.pending.size >= SESSION_LOOKUPS_MAX_PENDING) {
      throw new SessionStoreUnavailableError(new Error('too many session lookups waiting'));
    }
    const query = this.query(key, token).finally(() => this.pending.delete(key));
    this.pending.set(key, query);
    return query;
  }

  private async query(key: string, token: string): Promise<Outcome> {
    this.queries += 1;
    const { rows } = await this.sql.run<SessionRow>(this.statement, [token]).catch(unavailable);
    const now = Date.now();
    // NaN (never valid) when the column holds no date.
    const expiresAt = rows[0]?.expires_at ? new Date(rows[0].expires_at).getTime() : NaN;
    const outcome = judge(rows[0], expiresAt, now);
    const keep = 'user' in outcome ? expiresAt : Infinity;
    const until = Math.min(now + this.config.AUTH_SESSIONS_CACHE_MS, keep);
    cacheUntil(this.answers, key, outcome, until, now);
    return outcome;
  }

  /** Nest calls it after the HTTP server stopped taking requests, as it ends the main pool. */
  onApplicationShutdown(): Promise<void> {
    return this.pool.end();
  }
}

function judge(row: SessionRow | undefined, expiresAt: number, now: number): Outcome {
  if (row === undefined) return { refused: new TokenRejectedError('unknown_session') };
  if (!(expiresAt > now)) return { refused: new TokenRejectedError('expired') };
  if (!isValidUserId(row.user_id)) return { refused: new TokenRejectedError('subject') };
  return { user: { id: row.user_id } };
}

/** The driver's error without a value: data errors (class 22) quote the token, so only their code. */
function unavailable(error: unknown): never {
  const driver = (error as { cause?: unknown }).cause ?? error;
  const { code, message } = driver as { code?: string; message?: string };
  const detail = code?.startsWith('22') ? 'data error' : String(message);
  const text = code === undefined ? detail : `${detail} (${code})`;
  throw new SessionStoreUnavailableError(new Error(text));
}
