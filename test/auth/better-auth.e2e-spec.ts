import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import type { Task } from '../../src/tasks/task.entity';
import { SessionStore } from '../../src/core/auth/session-store';
import { BetterAuthServer, BetterAuthUser, startBetterAuth } from '../support/better-auth';
import type { HttpClient, HttpResponse } from '../support/http';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/** The session cache time the README documents (AUTH_SESSIONS_CACHE_MS's default). */
const SESSION_CACHE_MS = 5000;

/** The frontend's origin, which sends `credentials: "include"`. */
const FRONTEND = 'http://localhost:3001';

const email = () => `${randomUUID()}@example.com`;
const PASSWORD = 'correct horse battery staple';

/** Polls `probe` every 100 ms until it answers `status` (at most `withinMs`); how long it took. */
async function msUntilStatus(
  probe: () => Promise<HttpResponse<unknown>>,
  status: number,
  withinMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await probe();
    if (res.status === status) return Date.now() - started;
    if (Date.now() - started > withinMs)
      throw new Error(`still ${res.status} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The whole task life cycle a person goes through in the frontend, as `user`. */
async function crud(api: HttpClient, userId: string): Promise<void> {
  const tasks = `/api/${encodeURIComponent(userId)}/tasks`;
  const created = await api.post<Task>(tasks, { title: 'Buy milk' });
  expect(created.status).toBe(201);
  expect(created.body.user_id).toBe(userId);
  const task = `${tasks}/${created.body.id}`;
  const listed = await api.get<Task[]>(tasks);
  expect(listed.status).toBe(200);
  expect(listed.body.map((t) => t.id)).toEqual([created.body.id]);
  expect((await api.get<Task>(task)).body.title).toBe('Buy milk');
  const edited = await api.put<Task>(task, { title: 'Buy oat milk', description: 'x' });
  expect(edited.body).toMatchObject({ title: 'Buy oat milk', description: 'x' });
  const toggled = await api.patch<Task>(`${task}/complete`);
  expect(toggled.body.completed).toBe(true);
  expect((await api.delete(task)).status).toBe(204);
  expect((await api.get(task)).status).toBe(404);
}

describe('Better Auth session tokens as bearer tokens (the frontend unchanged)', () => {
  let db: TestDatabase;
  let auth: BetterAuthServer;
  let app: TestApp;

  beforeAll(async () => {
    // One database for both, as the family keeps them.
    db = await createTestDatabase();
    auth = await startBetterAuth(db.url);
    app = await startTestApp({
      database: db,
      env: {
        AUTH_SESSIONS_ENABLED: 'true',
        CORS_ORIGINS: FRONTEND,
        CORS_CREDENTIALS: 'true',
        // Hundreds of deliberate 401s from one address here; the limit on refused requests has
        // its own spec (test/http/refused-limit.e2e-spec.ts).
        RATE_LIMIT_REFUSED_LIMIT: '1000000',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await auth?.close();
    await db?.drop();
  });

  const api = (user: BetterAuthUser) => app.http.withToken(user.sessionToken);

  it('signs up and in over Better Auth’s HTTP API, then does the whole task CRUD with session.token', async () => {
    const address = email();
    const signedUp = await auth.signUp(address, PASSWORD);
    expect(signedUp.sessionToken).toMatch(/^[A-Za-z0-9]{32}$/);
    await crud(api(signedUp), signedUp.userId);
    const signedIn = await auth.signIn(address, PASSWORD);
    expect(signedIn.userId).toBe(signedUp.userId);
    expect(signedIn.sessionToken).not.toBe(signedUp.sessionToken);
    await crud(api(signedIn), signedIn.userId);
  });

  it('keeps a second user apart: 403 on the other’s path, 404 for the other’s task', async () => {
    const alice = await auth.signUp(email(), PASSWORD);
    const bob = await auth.signUp(email(), PASSWORD);
    const task = await api(alice).post<Task>(`/api/${alice.userId}/tasks`, {
      title: 'mine',
    });
    const asBob = api(bob);
    expect((await asBob.get(`/api/${alice.userId}/tasks`)).status).toBe(403);
    expect((await asBob.get(`/api/${bob.userId}/tasks/${task.body.id}`)).status).toBe(404);
    expect((await asBob.get<Task[]>(`/api/${bob.userId}/tasks`)).body).toEqual([]);
  });

  it('refuses the token within the cache time after sign-out', async () => {
    const user = await auth.signUp(email(), PASSWORD);
    const tasks = `/api/${user.userId}/tasks`;
    expect((await api(user).get(tasks)).status).toBe(200);
    await auth.signOut(user);
    const refusedAfter = await msUntilStatus(
      () => api(user).get(tasks),
      401,
      SESSION_CACHE_MS + 2000,
    );
    const refused = await api(user).get(tasks);
    expect(refused.body).toMatchObject({
      code: 'INVALID_TOKEN',
      details: { reason: 'unknown_session' },
    });
    expect(refusedAfter).toBeLessThanOrEqual(SESSION_CACHE_MS + 1000);
  });

  it('refuses an expired session with TOKEN_EXPIRED within the cache time', async () => {
    const user = await auth.signUp(email(), PASSWORD);
    const tasks = `/api/${user.userId}/tasks`;
    expect((await api(user).get(tasks)).status).toBe(200);
    await db.query(
      `UPDATE "session" SET "expiresAt" = now() - interval '1 second' WHERE token = $1`,
      [user.sessionToken],
    );
    await msUntilStatus(() => api(user).get(tasks), 401, SESSION_CACHE_MS + 2000);
    expect((await api(user).get(tasks)).body).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('answers an unknown token 401, and a flood of it costs the database one query', async () => {
    const store = app.get(SessionStore);
    const unknown = app.http.withToken('x'.repeat(32));
    const before = store.queries;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => unknown.get('/api/someone/tasks')),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(401));
    expect(store.queries - before).toBe(1);
    for (let i = 0; i < 50; i++) expect((await unknown.get('/api/someone/tasks')).status).toBe(401);
    expect(store.queries - before).toBe(1);
  });

  it('serves a credentialed frontend: preflight and answers name its origin, never *', async () => {
    const user = await auth.signUp(email(), PASSWORD);
    const tasks = `/api/${user.userId}/tasks`;
    const preflight = await app.http.raw('OPTIONS', tasks, {
      token: null,
      headers: {
        origin: FRONTEND,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    expect(preflight.headers.get('vary')).toMatch(/origin/i);
    for (const token of [user.sessionToken, 'y'.repeat(32)]) {
      const res = await app.http.raw('GET', tasks, { token, headers: { origin: FRONTEND } });
      expect([200, 401]).toContain(res.status);
      expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-expose-headers')).toContain('Link');
    }
    const stranger = await app.http.raw('GET', tasks, {
      token: user.sessionToken,
      headers: { origin: 'https://evil.example' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('Better Auth’s jwt() plugin: its EdDSA JWTs verified through its JWKS', () => {
  let db: TestDatabase;
  let auth: BetterAuthServer;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    auth = await startBetterAuth(db.url, { jwt: true });
    app = await startTestApp({
      database: db,
      env: {
        AUTH_JWT_SECRET: '',
        AUTH_JWKS_URL: auth.jwksUrl,
        AUTH_ISSUER: auth.url,
        AUTH_AUDIENCE: auth.url,
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await auth?.close();
    await db?.drop();
  });

  it('accepts the JWT of GET /api/auth/token for the whole task CRUD', async () => {
    const user = await auth.signUp(email(), PASSWORD);
    const token = await auth.jwt(user);
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    await crud(app.http.withToken(token), user.userId);
  });

  it('accepts a token signed by a newly created key at its first use (key rotation)', async () => {
    const user = await auth.signUp(email(), PASSWORD);
    const first = await auth.jwt(user);
    const api = (token: string) => app.http.withToken(token);
    expect((await api(first).get(`/api/${user.userId}/tasks`)).status).toBe(200);
    // Better Auth rotates by creating a new key when the latest one has expired.
    await db.query(`UPDATE jwks SET "expiresAt" = now() - interval '1 second'`);
    const rotated = await auth.jwt(user);
    expect(decodeProtectedHeader(rotated).kid).not.toBe(decodeProtectedHeader(first).kid);
    const started = Date.now();
    const res = await api(rotated).get(`/api/${user.userId}/tasks`);
    const firstUseMs = Date.now() - started;
    expect(res.status).toBe(200);
    // At most one JWKS fetch interval (AUTH_JWKS_COOLDOWN_MS, 1 s) plus the fetch.
    expect(firstUseMs).toBeLessThan(3000);
  });
});
