import { BuiltApp, startBuiltApp } from '../support/built-app';
import type { HttpClient } from '../support/http';
import { createTask, Outcome, status, timeUntil, Writer } from '../support/ops-client';
import { sample } from '../support/prometheus';
import { proxyInFrontOf, TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const USER = 'outage-user';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every acknowledged create (201) that is not in the table: must be none. */
async function lostWrites(db: TestDatabase, outcomes: Outcome[]): Promise<string[]> {
  const ids = outcomes.filter((o) => o.status === 201).map((o) => o.id as string);
  const rows = await db.query<{ id: string }>('SELECT id FROM tasks WHERE id = ANY($1::uuid[])', [
    ids,
  ]);
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}

describe('database outage: the built app behind a TCP proxy to PostgreSQL', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: BuiltApp;
  let api: HttpClient;
  const figures: Record<string, number> = {};
  /** Every POST this test made, whoever made it, for the metrics cross-check. */
  const posts: Outcome[] = [];
  const post = async (title: string) => {
    const outcome = await createTask(api, USER, title);
    posts.push(outcome);
    return outcome;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await proxyInFrontOf(db.url);
    // Production defaults for every timeout: what is measured is what ships.
    app = await startBuiltApp({ DATABASE_URL: proxy.urlFor(db.url) });
    api = await app.http.asUser(USER);
  }, 180_000);

  afterAll(async () => {
    if (app) {
      app.child.kill('SIGTERM');
      await app.waitForExit(30_000).catch(() => app.kill());
    }
    await proxy?.close();
    await db?.drop();
    process.stdout.write(`\noutage figures (ms): ${JSON.stringify(figures)}\n`);
  });

  it('serves normally through the proxy', async () => {
    expect(await status(app.http, '/health/ready')).toBe(200);
    expect((await post('before')).status).toBe(201);
  });

  describe.each<[string, (p: TcpProxy) => Promise<void> | void]>([
    ['refused', (p: TcpProxy) => p.refuse()],
    ['black-holed', (p: TcpProxy) => p.blackhole()],
  ])('when the database link is %s', (mode, cut) => {
    it('stays live, turns unready, answers 503 with Retry-After in under 10 s, recovers by itself and loses no acknowledged write', async () => {
      const writer = new Writer(api, USER, 3);
      await timeUntil(() => writer.outcomes.some((o) => o.status === 201), 5000, 20);

      const cutAt = performance.now();
      await cut(proxy);
      const probe = post(`during ${mode} outage`);
      figures[`${mode}.readiness_503`] = await timeUntil(
        async () => (await status(app.http, '/health/ready')) === 503,
        8000,
      );
      expect(await status(app.http, '/health/live', 1000)).toBe(200);
      const during = await probe;
      figures[`${mode}.api_503`] = Math.round(during.ms);
      expect(during).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(during.retryAfter).toMatch(/^\d+$/);
      expect(during.ms).toBeLessThan(10_000);
      // Hold the outage a little beyond the slowest timeout, under load.
      await sleep(Math.max(0, 7000 - (performance.now() - cutAt)));
      expect(await status(app.http, '/health/live', 1000)).toBe(200);

      const restoredAt = performance.now();
      await proxy.restore();
      figures[`${mode}.recovery`] = Math.round(
        await timeUntil(
          async () =>
            (await status(app.http, '/health/ready')) === 200 &&
            (await post('after')).status === 201,
          15_000,
        ),
      );
      const restoredOutcomes = writer.outcomes.length;
      await timeUntil(() => writer.outcomes.length > restoredOutcomes + 5, 10_000, 20);
      const outcomes = await writer.stop();
      posts.push(...outcomes);
      figures[`${mode}.slowest_503`] = Math.round(
        Math.max(...outcomes.filter((o) => o.status === 503).map((o) => o.ms)),
      );

      // Only 201 and 503, each answered within 10 s: no 500, no hang, no dropped connection.
      const unexpected = outcomes.filter((o) => o.status !== 201 && o.status !== 503);
      expect(unexpected).toEqual([]);
      expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(10_000);
      expect(outcomes.filter((o) => o.status === 503).length).toBeGreaterThan(0);
      for (const o of outcomes.filter((x) => x.status === 503)) {
        expect(o.code).toBe('SERVICE_UNAVAILABLE');
        expect(o.retryAfter).toMatch(/^\d+$/);
      }
      const lost = await lostWrites(db, outcomes);
      figures[`${mode}.lost`] = lost.length;
      figures[`${mode}.requests`] = outcomes.length;
      expect(lost).toEqual([]);
      expect(app.child.exitCode).toBeNull();
      expect(performance.now() - restoredAt).toBeLessThan(20_000);
    }, 60_000);
  });

  it('counts in /metrics exactly the requests the test made, by status', async () => {
    // In production /metrics is on the metrics listener, which openapi.json does not describe.
    const res = await app.metrics.raw('GET', '/metrics');
    expect(res.status).toBe(200);
    const text = res.text;
    const byStatus = new Map<number, number>();
    for (const o of posts) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    expect(byStatus.has(0)).toBe(false);
    expect([...byStatus.keys()].sort()).toEqual([201, 503]);
    for (const [code, count] of byStatus) {
      const labels = { route: '/api/:user_id/tasks', method: 'POST', status: String(code) };
      expect([code, sample(text, 'http_requests_total', labels)]).toEqual([code, count]);
      expect(sample(text, 'http_request_duration_seconds_count', labels)).toBe(count);
    }
    // Connections that timed out were discarded, not kept: nothing is stuck in the pool, and the
    // links through the proxy settle back within the pool size.
    expect(sample(text, 'db_pool_waiting')).toBe(0);
    expect(sample(text, 'db_pool_connections', { state: 'in_use' })).toBe(0);
    await timeUntil(() => proxy.connections <= 10, 5000, 50);
  });
});
