import type { HttpClient, HttpResponse } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { signToken, tokenFor } from '../support/tokens';

const LIMIT = 100;
const CONCURRENCY = 16;

/**
 * `count` requests from CONCURRENCY workers, within `budgetMs`; the statuses they got. The
 * per-user limiter runs only after authentication, so refusals (401, 403) count per address.
 */
async function flood(
  send: (i: number) => Promise<HttpResponse>,
  count: number,
  budgetMs = 60_000,
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const deadline = Date.now() + budgetMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count && Date.now() < deadline) {
        const { status } = await send(next++);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('refused requests per client address (RATE_LIMIT_REFUSED_LIMIT)', () => {
  let direct: TestApp;
  let proxied: TestApp;
  let badToken: string;

  beforeAll(async () => {
    const env = { RATE_LIMIT_REFUSED_LIMIT: String(LIMIT), RATE_LIMIT_LIMIT: '100000' };
    direct = await startTestApp({ env });
    proxied = await startTestApp({ env: { ...env, TRUSTED_PROXIES: '127.0.0.1' } });
    badToken = await signToken(
      { sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 },
      {
        key: 'another-secret-that-the-service-does-not-know-0123',
      },
    );
  });

  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('10,000 bad or foreign tokens from one address: 429 after the limit; X-Forwarded-For from an untrusted peer is ignored', async () => {
    const victim = await direct.newUser();
    const foreign = await tokenFor('attacker');
    const statuses = await flood(
      (i) =>
        direct.http.get(victim.tasks, {
          token: i % 2 === 0 ? badToken : foreign,
          // a client choosing a new address for every request: not trusted, not used
          headers: { 'x-forwarded-for': `198.51.100.${i % 250}` },
        }),
      10_000,
    );
    const refused = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0);
    expect(refused).toBeGreaterThanOrEqual(LIMIT);
    expect(refused).toBeLessThanOrEqual(LIMIT + CONCURRENCY);
    // every request sent within the time budget (all 10,000 unless the machine is very slow)
    const sent = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect(statuses.get(429)).toBe(sent - refused);
    expect([...statuses.keys()].sort()).toEqual([401, 403, 429]);

    const limited = await victim.api.get(victim.tasks);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // health probes are never refused
    expect((await direct.http.get('/health/live')).status).toBe(200);
  });

  it('behind a trusted proxy: the forwarded client is counted, another client is unaffected', async () => {
    const { tasks } = await proxied.newUser();
    const as = (client: string) => (api: HttpClient) =>
      api.get(tasks, { token: badToken, headers: { 'x-forwarded-for': client } });
    const statuses = await flood(() => as('203.0.113.7')(proxied.http), 2 * LIMIT);
    expect(statuses.get(429)).toBeGreaterThanOrEqual(LIMIT - CONCURRENCY);
    // prepending an address of its choice does not help: the proxy appends the real one
    expect((await as('192.0.2.1, 203.0.113.7')(proxied.http)).status).toBe(429);
    expect((await as('203.0.113.8')(proxied.http)).status).toBe(401);
    // the proxy's own requests (no X-Forwarded-For) are another client too
    expect((await proxied.http.get(tasks, { token: badToken })).status).toBe(401);
  });
});
