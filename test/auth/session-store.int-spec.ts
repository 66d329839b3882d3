import { expect } from '@jest/globals';
import { AuthConfig } from '../../src/core/auth/auth.config';
import { SessionStoreUnavailableError, TokenRejectedError } from '../../src/core/auth/auth.errors';
import {
  SESSION_LOOKUPS_MAX_PENDING,
  SessionStore,
  sessionLookupSql,
} from '../../src/core/auth/session-store';
import { createTestDatabase, TestDatabase, testEnvironment } from '../support/test-database';

/** The auth section of an app on `db` with Better Auth sessions, `env` on top. */
const config = (db: TestDatabase, env: Record<string, string> = {}) =>
  testEnvironment(db.url, {
    AUTH_SESSIONS_ENABLED: 'true',
    AUTH_SESSIONS_CACHE_MS: '60000',
    ...env,
  }).get(AuthConfig);

describe('SessionStore against PostgreSQL', () => {
  let db: TestDatabase;
  const stores: SessionStore[] = [];
  const storeOn = (env: Record<string, string> = {}) => {
    const store = new SessionStore(config(db, env));
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await db.query(`CREATE TABLE "session" (token text, "userId" text, "expiresAt" timestamptz)`);
    await db.query(`CREATE TABLE by_uuid (token uuid, "userId" text, "expiresAt" timestamptz)`);
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.onApplicationShutdown()));
    await db?.drop();
  });

  it('asks the database once for concurrent and repeated lookups of one token', async () => {
    const store = storeOn();
    await db.query(`INSERT INTO "session" VALUES ('shared', 'alice', now() + interval '1 hour')`);
    const users = await Promise.all(Array.from({ length: 20 }, () => store.lookup('shared')));
    expect(users).toEqual(Array(20).fill({ id: 'alice' }));
    await store.lookup('shared');
    const unknown = await Promise.allSettled(Array.from({ length: 20 }, () => store.lookup('no')));
    expect(unknown.every((r) => r.status === 'rejected')).toBe(true);
    await expect(store.lookup('no')).rejects.toMatchObject({ reason: 'unknown_session' });
    expect(store.queries).toBe(2);
  });

  it('never serves a cached session past its expiresAt, however long the cache time', async () => {
    const store = storeOn();
    await db.query(
      `INSERT INTO "session" VALUES ('short', 'bob', now() + interval '800 milliseconds')`,
    );
    await expect(store.lookup('short')).resolves.toEqual({ id: 'bob' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expect(store.lookup('short')).rejects.toMatchObject({ reason: 'expired' });
  });

  it('refuses a session without an expiry', async () => {
    await db.query(`INSERT INTO "session" VALUES ('no-expiry', 'carol', NULL)`);
    await expect(storeOn().lookup('no-expiry')).rejects.toBeInstanceOf(TokenRejectedError);
  });

  it('answers 503 (not 401) beyond the bound on distinct lookups waiting', async () => {
    const store = storeOn({ AUTH_SESSIONS_POOL_SIZE: '1' });
    const lookups = Array.from({ length: SESSION_LOOKUPS_MAX_PENDING + 10 }, (_, i) =>
      store.lookup(`distinct-${i}`),
    );
    const outcomes = await Promise.allSettled(lookups);
    const overloaded = outcomes.filter(
      (o) => o.status === 'rejected' && o.reason instanceof SessionStoreUnavailableError,
    );
    expect(overloaded).toHaveLength(10);
  });

  it('keeps the token out of the error when the database quotes a value', async () => {
    const store = storeOn({ AUTH_SESSIONS_TABLE: 'by_uuid' });
    const failure = store.lookup('secret-token-value');
    await expect(failure).rejects.toBeInstanceOf(SessionStoreUnavailableError);
    await expect(failure).rejects.toThrow('session store unavailable: data error (22P02)');
    await expect(failure).rejects.not.toThrow('secret-token-value');
  });

  it('names the missing table', async () => {
    await expect(storeOn({ AUTH_SESSIONS_TABLE: 'missing' }).lookup('t')).rejects.toThrow(
      /relation "missing" does not exist \(42P01\)/,
    );
  });

  it('builds its statement only from valid names, quoted', () => {
    const qualified = config(db, { AUTH_SESSIONS_TABLE: 'auth.session' });
    expect(sessionLookupSql(qualified)).toContain('FROM "auth"."session" WHERE "token" = $1');
    // Names the configuration would have refused: refused here too.
    const table = Object.assign(config(db), { AUTH_SESSIONS_TABLE: 'a"b' });
    expect(() => sessionLookupSql(table)).toThrow(/table name/);
    const column = Object.assign(config(db), { AUTH_SESSIONS_USER_ID_COLUMN: 'a b' });
    expect(() => sessionLookupSql(column)).toThrow(/column name/);
  });
});
