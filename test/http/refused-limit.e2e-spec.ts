import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { SessionStore } from '../../src/core/auth/session-store';
import { AuthProbeModule } from '../support/auth-probe.module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestApp, type TestApp } from '../support/test-app';
import { signToken, tokenFor } from '../support/tokens';

const LIMIT = 100;

/** One GET from `localAddress` (another loopback address is another client); its status. */
function getFrom(app: TestApp, path: string, token: string, localAddress = '127.0.0.1') {
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      `${app.url}${path}`,
      {
        headers: { authorization: `Bearer ${token}` },
        localAddress,
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end();
  });
}

/** `tokens.length` GETs written at once on one connection (pipelined); the statuses answered. */
function pipelined(app: TestApp, path: string, tokens: string[]): Promise<number[]> {
  const { port } = new URL(app.url);
  const requests = tokens
    .map((t) => `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t}\r\n\r\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let text = '';
    const statuses = () => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    const timer = setTimeout(() => socket.destroy(), 30_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (statuses().length >= tokens.length) socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(statuses());
    });
    socket.on('error', reject);
    socket.write(requests);
  });
}

const tally = (statuses: number[]) =>
  Object.fromEntries(
    [...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]),
  );

describe('refused requests never lock out a valid token (RATE_LIMIT_REFUSED_LIMIT)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_LIMIT_REFUSED_LIMIT: String(LIMIT), RATE_LIMIT_LIMIT: '100000' },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('300 garbage, forged and foreign tokens from 127.0.0.1: all 401/403, none 429; then a valid user from 127.0.0.1 and from 127.0.0.7 gets 200', async () => {
    const victim = await app.newUser();
    const forged = await signToken(
      { sub: victim.userId, exp: Math.floor(Date.now() / 1000) + 3600 },
      { key: 'another-secret-that-the-service-does-not-know-0123' },
    );
    const foreign = await tokenFor('attacker');
    const garbage = ['a.b.c', forged, foreign];
    const statuses: number[] = [];
    for (let i = 0; i < 300; i += 30) {
      const batch = Array.from({ length: 30 }, (_, j) =>
        getFrom(app, victim.tasks, garbage[(i + j) % 3]),
      );
      statuses.push(...(await Promise.all(batch)));
    }
    expect(tally(statuses)).toEqual({ 401: 200, 403: 100 });
    const token = victim.api.token!;
    expect(await getFrom(app, victim.tasks, token)).toBe(200);
    expect(await getFrom(app, victim.tasks, token, '127.0.0.7')).toBe(200);
  });

  it('500 pipelined forged tokens on one connection: every one a 401, and the valid user still 200', async () => {
    const victim = await app.newUser();
    const forged = await signToken(
      { sub: victim.userId, exp: Math.floor(Date.now() / 1000) + 3600 },
      { key: 'another-secret-that-the-service-does-not-know-0123' },
    );
    const statuses = await pipelined(app, victim.tasks, Array<string>(500).fill(forged));
    expect(tally(statuses)).toEqual({ 401: 500 });
    expect(await getFrom(app, victim.tasks, victim.api.token!)).toBe(200);
  });
});

describe('session lookups: counted per address on arrival, given back when valid', () => {
  const SESSION_LIMIT = 20;
  const newToken = () => randomBytes(24).toString('base64url').slice(0, 32);
  let sessions: TestDatabase;
  let app: TestApp;
  let proxied: TestApp;
  let store: SessionStore;

  const addSession = (token: string, owner: string) =>
    sessions.query(`INSERT INTO session VALUES ($1, $2, now() + interval '1 hour')`, [
      token,
      owner,
    ]);

  beforeAll(async () => {
    sessions = await createTestDatabase({ migrate: false });
    await sessions.query(
      'CREATE TABLE session (token text PRIMARY KEY, "userId" text NOT NULL, "expiresAt" timestamptz NOT NULL)',
    );
    const env = {
      AUTH_SESSIONS_ENABLED: 'true',
      AUTH_SESSIONS_DATABASE_URL: sessions.url,
      AUTH_SESSIONS_CACHE_MS: '60000',
      RATE_LIMIT_REFUSED_LIMIT: String(SESSION_LIMIT),
      RATE_LIMIT_LIMIT: '100000',
    };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
    proxied = await startTestApp({
      database: { migrate: false },
      env: { ...env, TRUSTED_PROXIES: '127.0.0.1' },
      extraModules: [AuthProbeModule],
    });
    store = app.get(SessionStore);
  });

  afterAll(async () => {
    await app?.close();
    await proxied?.close();
    await sessions?.drop();
  });

  it('valid sessions never spend the address budget: 2 × the limit of them from one address, all 200', async () => {
    for (let i = 0; i < 2 * SESSION_LIMIT; i++) {
      const token = newToken();
      await addSession(token, `valid-${i}`);
      expect(await getFrom(app, `/api/valid-${i}/auth-probe`, token)).toBe(200);
    }
  });

  it('500 pipelined random session tokens: at most the limit reach the database, the rest 429; other clients and cached sessions unaffected', async () => {
    const cached = newToken();
    await addSession(cached, 'cached-user');
    expect(await getFrom(app, '/api/cached-user/auth-probe', cached)).toBe(200);
    const before = store.queries;
    const statuses = await pipelined(
      app,
      '/api/someone/auth-probe',
      Array.from({ length: 500 }, newToken),
    );
    expect(statuses).toHaveLength(500);
    expect(store.queries - before).toBeLessThanOrEqual(SESSION_LIMIT);
    expect(tally(statuses)).toEqual({ 401: SESSION_LIMIT, 429: 500 - SESSION_LIMIT });
    // the same address: a session already verified still passes
    expect(await getFrom(app, '/api/cached-user/auth-probe', cached)).toBe(200);
    // another client: its own budget
    const other = newToken();
    await addSession(other, 'other-user');
    expect(await getFrom(app, '/api/other-user/auth-probe', other, '127.0.0.7')).toBe(200);
  });

  it('behind a trusted proxy the forwarded client is counted, not the proxy', async () => {
    const from = (client: string) =>
      proxied.http.raw('GET', '/api/someone/auth-probe', {
        token: newToken(),
        headers: { 'x-forwarded-for': client },
      });
    const statuses: number[] = [];
    for (let i = 0; i <= SESSION_LIMIT; i++) statuses.push((await from('203.0.113.7')).status);
    expect(tally(statuses)).toEqual({ 401: SESSION_LIMIT, 429: 1 });
    // prepending an address of its choice does not help: the proxy appends the real one
    expect((await from('192.0.2.1, 203.0.113.7')).status).toBe(429);
    expect((await from('203.0.113.8')).status).toBe(401);
  });
});
