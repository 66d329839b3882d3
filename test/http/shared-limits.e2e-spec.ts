import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AuthProbeModule } from '../support/auth-probe.module';
import type { HttpResponse } from '../support/http';
import { describeWithRedis, type RedisServer, startRedis } from '../support/redis';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestApp, type TestApp } from '../support/test-app';
import { tokenFor } from '../support/tokens';

const LIMIT = 30;
const REFUSED_LIMIT = 10;

/** The probe routes are test-only, outside openapi.json: unchecked requests. */
const get = (app: TestApp, path: string, token: string): Promise<HttpResponse> =>
  app.http.raw('GET', path, { token, timeoutMs: 10_000 });

const tally = (statuses: number[]) =>
  Object.fromEntries(
    [...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]),
  );

async function startApps(count: number, env: Record<string, string>): Promise<TestApp[]> {
  const apps: TestApp[] = [];
  for (let i = 0; i < count; i++) {
    apps.push(
      await startTestApp({ database: { migrate: false }, env, extraModules: [AuthProbeModule] }),
    );
  }
  return apps;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describeWithRedis('limits shared through Redis (RATE_LIMIT_REDIS_URL)', () => {
  let redis: RedisServer;
  let sessions: TestDatabase;
  let apps: TestApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sessions = await createTestDatabase({ migrate: false });
    await sessions.query(
      'CREATE TABLE session (token text PRIMARY KEY, "userId" text NOT NULL, "expiresAt" timestamptz NOT NULL)',
    );
    apps = await startApps(3, {
      RATE_LIMIT_REDIS_URL: redis.url,
      RATE_LIMIT_LIMIT: String(LIMIT),
      RATE_LIMIT_REFUSED_LIMIT: String(REFUSED_LIMIT),
      AUTH_SESSIONS_ENABLED: 'true',
      AUTH_SESSIONS_DATABASE_URL: sessions.url,
    });
    // every instance connected before the first request is counted
    const ready = await waitFor(async () => {
      const reports = await Promise.all(apps.map((app) => app.http.raw('GET', '/health/ready')));
      return reports.every((r) => r.text.includes('"redis":"up"'));
    });
    expect(ready).toBe(true);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await sessions?.drop();
    await redis?.close();
  });

  it('three instances hold a user to RATE_LIMIT_LIMIT in total, with the RateLimit headers', async () => {
    const token = await tokenFor('shared-user');
    const answers: HttpResponse[] = [];
    for (let i = 0; i < 2 * LIMIT; i++) {
      answers.push(await get(apps[i % 3], '/api/shared-user/auth-probe', token));
    }
    expect(tally(answers.map((a) => a.status))).toEqual({ 200: LIMIT, 429: LIMIT });
    expect(answers[0].headers.get('ratelimit-policy')).toBe(`"default";q=${LIMIT};w=60`);
    expect(answers[0].headers.get('ratelimit')).toMatch(
      new RegExp(`^"default";r=${LIMIT - 1};t=(60|59)$`),
    );
    expect(answers[LIMIT - 1].headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    const limited = answers[LIMIT];
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('ratelimit')).toBe(`"default";r=0;t=${retryAfter}`);
    expect(limited.headers.get('ratelimit-policy')).toBe(`"default";q=${LIMIT};w=60`);
  });

  it('the refused-session budget of an address is shared too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3 * REFUSED_LIMIT; i++) {
      const token = randomBytes(24).toString('base64url');
      statuses.push((await get(apps[i % 3], '/api/someone/auth-probe', token)).status);
    }
    expect(tally(statuses)).toEqual({ 401: REFUSED_LIMIT, 429: 2 * REFUSED_LIMIT });
  });

  it('Redis stopped mid-run: no 5xx, counted in each process, readiness up and saying so; back when Redis returns', async () => {
    const token = await tokenFor('outage-user');
    expect((await get(apps[0], '/api/outage-user/auth-probe', token)).status).toBe(200);
    await redis.stop();
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 30; i++) {
      statuses.push((await get(apps[i % 3], '/api/outage-user/auth-probe', token)).status);
    }
    expect(tally(statuses)).toEqual({ 200: 30 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const ready = await apps[0].http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      details: { rate_limit_store: { status: 'up', redis: 'fallback' } },
    });
    const metrics = (await apps[0].http.raw('GET', '/metrics')).text;
    expect(Number(/^rate_limit_store_fallback_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(
      0,
    );

    await redis.start();
    const back = await waitFor(async () =>
      (await apps[0].http.get('/health/ready')).text.includes('"redis":"up"'),
    );
    expect(back).toBe(true);
    // Readiness says up once ioredis has reconnected: the next hit is counted in Redis again.
    expect((await get(apps[0], '/api/outage-user/auth-probe', token)).status).toBe(200);
    const client = new Redis(redis.url);
    try {
      expect(Number(await client.get('rate-limit:user:user:outage-user'))).toBeGreaterThan(0);
      expect(await client.pttl('rate-limit:user:user:outage-user')).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it('Redis slower than RATE_LIMIT_REDIS_TIMEOUT_MS: requests do not wait for it', async () => {
    const token = await tokenFor('slow-user');
    const client = new Redis(redis.url);
    try {
      const sleeping = client.call('DEBUG', 'SLEEP', '1.5').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      expect((await get(apps[1], '/api/slow-user/auth-probe', token)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      await sleeping;
    } finally {
      client.disconnect();
    }
  });
});

describeWithRedis('Redis with a password (requirepass)', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis({ password: 'p@ss word/with:odd chars' });
  });

  afterAll(async () => {
    await redis?.close();
  });

  it('counts there with the right password; with a wrong one it falls back and still answers', async () => {
    const wrong = redis.url.replace(/:[^:@]+@/, ':nope@');
    const [good, bad] = [
      ...(await startApps(1, { RATE_LIMIT_REDIS_URL: redis.url, RATE_LIMIT_LIMIT: '5' })),
      ...(await startApps(1, { RATE_LIMIT_REDIS_URL: wrong, RATE_LIMIT_LIMIT: '5' })),
    ];
    try {
      const token = await tokenFor('pw-user');
      expect(
        await waitFor(async () =>
          (await good.http.raw('GET', '/health/ready')).text.includes('"redis":"up"'),
        ),
      ).toBe(true);
      expect((await get(good, '/api/pw-user/auth-probe', token)).status).toBe(200);
      const client = new Redis(redis.url);
      try {
        expect(await client.get('rate-limit:user:user:pw-user')).toBe('1');
      } finally {
        client.disconnect();
      }
      expect((await get(bad, '/api/pw-user/auth-probe', token)).status).toBe(200);
      expect((await bad.http.raw('GET', '/health/ready')).text).toContain('"redis":"fallback"');
    } finally {
      await good.close();
      await bad.close();
    }
  });
});
