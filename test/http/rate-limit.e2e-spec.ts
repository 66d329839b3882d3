import { AuthProbeModule } from '../support/auth-probe.module';
import type { HttpResponse } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { tokenFor } from '../support/tokens';

/** The probe routes are test-only, outside openapi.json: unchecked requests. */
function get(app: TestApp, path: string, token?: string): Promise<HttpResponse> {
  return app.http.raw('GET', path, { token: token ?? null, timeoutMs: 10_000 });
}

describe('rate limiting (3 requests per minute per user)', () => {
  let app: TestApp;

  beforeAll(async () => {
    const env = { RATE_LIMIT_LIMIT: '3', RATE_LIMIT_TTL_MS: '60000' };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After once a user spends the budget', async () => {
    const token = await tokenFor('busy');
    for (let i = 0; i < 3; i++) {
      const ok = await get(app, '/api/busy/auth-probe', token);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60');
      expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`^"default";r=${2 - i};t=(60|59)$`));
    }
    const limited = await get(app, '/api/busy/auth-probe', token);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retry_after_s: retryAfter },
    });
    expect(limited.headers.get('ratelimit')).toBe(`"default";r=0;t=${retryAfter}`);
    // One budget per user across routes.
    expect((await get(app, '/api/auth-probe', token)).status).toBe(429);
  });

  it('counts per user, after authentication: another user still has a budget', async () => {
    const token = await tokenFor('calm');
    for (let i = 0; i < 3; i++) {
      expect((await get(app, '/api/calm/auth-probe', token)).status).toBe(200);
    }
  });

  it('lets failed authentication answer 401, not 429', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await get(app, '/api/busy/auth-probe')).status).toBe(401);
    }
  });

  it('counts requests without a user by address, and never limits health', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(app, '/open-probe')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    for (let i = 0; i < 5; i++) {
      expect((await get(app, '/health/live')).status).toBe(200);
    }
  });
});

describe('rate limiting turned off', () => {
  let app: TestApp;

  beforeAll(async () => {
    const env = { RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_LIMIT: '1' };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('never answers 429 with RATE_LIMIT_ENABLED=false', async () => {
    const token = await tokenFor('free');
    for (let i = 0; i < 5; i++) {
      expect((await get(app, '/api/free/auth-probe', token)).status).toBe(200);
    }
  });
});
