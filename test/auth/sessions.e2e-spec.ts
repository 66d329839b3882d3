import { expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SessionStore } from '../../src/core/auth/session-store';
import { AuthProbeModule } from '../support/auth-probe.module';
import { startBuiltApp } from '../support/built-app';
import type { HttpResponse } from '../support/http';
import { proxyInFrontOf, TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const newToken = () => randomBytes(24).toString('base64url').slice(0, 32);
const probe = (
  app: { http: TestApp['http'] },
  user: string,
  token: string,
): Promise<HttpResponse> =>
  app.http.raw('GET', `/api/${encodeURIComponent(user)}/auth-probe`, {
    headers: { authorization: `Bearer ${token}` },
    timeoutMs: 15_000,
  });

/** A session table with names of the operator's choosing, in a schema of its own. */
const CUSTOM = {
  AUTH_SESSIONS_ENABLED: 'true',
  AUTH_SESSIONS_TABLE: 'auth.sessions',
  AUTH_SESSIONS_TOKEN_COLUMN: 'secret',
  AUTH_SESSIONS_USER_ID_COLUMN: 'owner',
  AUTH_SESSIONS_EXPIRES_AT_COLUMN: 'valid_until',
  AUTH_SESSIONS_CACHE_MS: '0',
};

async function sessionsDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  await db.query('CREATE SCHEMA auth');
  await db.query(
    'CREATE TABLE auth.sessions (secret text PRIMARY KEY, owner text NOT NULL, valid_until timestamptz NOT NULL)',
  );
  return db;
}

const addSession = (db: TestDatabase, token: string, owner: string, validFor = '1 hour') =>
  db.query(`INSERT INTO auth.sessions VALUES ($1, $2, now() + $3::interval)`, [
    token,
    owner,
    validFor,
  ]);

describe('Better Auth sessions on a database and table names of their own', () => {
  let sessions: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    sessions = await sessionsDatabase();
    proxy = await proxyInFrontOf(sessions.url);
    app = await startTestApp({
      database: { migrate: false },
      env: {
        ...CUSTOM,
        AUTH_SESSIONS_DATABASE_URL: proxy.urlFor(sessions.url),
        DATABASE_STATEMENT_TIMEOUT_MS: '500',
        DATABASE_CONNECT_TIMEOUT_MS: '500',
      },
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await sessions?.drop();
  });

  it('admits the session’s user, on its own path only', async () => {
    const token = newToken();
    await addSession(sessions, token, 'auth0|abc');
    const res = await probe(app, 'auth0|abc', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: 'auth0|abc', path_user: 'auth0|abc' });
    expect((await probe(app, 'someone-else', token)).status).toBe(403);
  });

  it('refuses an expired session, an unknown one, and one whose user id breaks the rule', async () => {
    const expired = newToken();
    await addSession(sessions, expired, 'alice', '-1 second');
    expect((await probe(app, 'alice', expired)).body).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect((await probe(app, 'alice', newToken())).body).toMatchObject({
      code: 'INVALID_TOKEN',
      details: { reason: 'unknown_session' },
    });
    const blank = newToken();
    await addSession(sessions, blank, ' ');
    expect((await probe(app, ' ', blank)).body).toMatchObject({
      code: 'INVALID_TOKEN',
      details: { reason: 'subject' },
    });
    expect((await probe(app, 'alice', 'x'.repeat(300))).body).toMatchObject({
      details: { reason: 'malformed' },
    });
  });

  it('answers 503 with Retry-After, not 401, while the store refuses or does not answer, and recovers', async () => {
    const token = newToken();
    await addSession(sessions, token, 'bob');
    await proxy.refuse();
    const refused = await probe(app, 'bob', token);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(refused.headers.get('retry-after')).toBe('5');
    await proxy.restore();
    expect((await probe(app, 'bob', token)).status).toBe(200);
    proxy.blackhole();
    const started = Date.now();
    const silent = await probe(app, 'bob', newToken());
    expect(silent.status).toBe(503);
    // The deadline: DATABASE_STATEMENT_TIMEOUT_MS plus a second of grace.
    expect(Date.now() - started).toBeLessThan(4000);
    await proxy.restore();
    expect((await probe(app, 'bob', token)).status).toBe(200);
    expect(app.get(SessionStore)).toBeInstanceOf(SessionStore);
  });
});

/** The built app has no probe routes: a task list, unchecked (the 503 is provoked on purpose). */
const tasksOf = (app: { http: TestApp['http'] }, user: string, token: string) =>
  app.http.raw('GET', `/api/${user}/tasks`, { headers: { authorization: `Bearer ${token}` } });

describe('Better Auth sessions in the built app: the token never reaches a log', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('logs the store’s failure (no session table) without the token, and answers 503', async () => {
    const app = await startBuiltApp({
      DATABASE_URL: db.url,
      AUTH_SESSIONS_ENABLED: 'true',
      LOG_LEVEL: 'info',
    });
    try {
      const token = newToken();
      const res = await tasksOf(app, 'alice', token);
      expect(res.status).toBe(503);
      // pino writes asynchronously: give the line a moment to arrive.
      const started = Date.now();
      while (!app.output().includes('session store unavailable') && Date.now() - started < 3000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(app.logs().map((line) => line.msg)).toContainEqual(
        expect.stringMatching(/session store unavailable: relation "session" does not exist/),
      );
      await db.query(`CREATE TABLE "session" (token text, "userId" text, "expiresAt" timestamptz)`);
      await db.query(`INSERT INTO "session" VALUES ($1, 'alice', now() + interval '1 hour')`, [
        token,
      ]);
      expect((await tasksOf(app, 'alice', token)).status).toBe(200);
      expect((await tasksOf(app, 'bob', token)).status).toBe(403);
      expect(app.output()).not.toContain(token);
    } finally {
      await app.kill();
    }
  });
});
