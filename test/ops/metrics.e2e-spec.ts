import { MetricsServer } from '../../src/metrics/metrics.server';
import { bearer, OPS_JWT_SECRET } from '../support/ops-client';
import { sample } from '../support/prometheus';
import { RunningApp, startTestApp } from '../support/test-app';
import { createTestDatabase, testEnvironment, TestDatabase } from '../support/test-database';

async function get(url: string): Promise<number> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
}

describe('metrics', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('on the main port', () => {
    let running: RunningApp;

    beforeAll(async () => {
      running = await startTestApp(testEnvironment(db.url, { AUTH_JWT_SECRET: OPS_JWT_SECRET }));
    });

    afterAll(async () => {
      await running?.close();
    });

    it('counts requests by route template, method and status, with durations', async () => {
      for (let i = 0; i < 3; i++) expect(await get(`${running.url}/health/live`)).toBe(200);
      for (let i = 0; i < 2; i++) expect(await get(`${running.url}/health/ready`)).toBe(200);
      expect(await get(`${running.url}/no/such/route/123`)).toBe(404);
      expect(await get(`${running.url}/no/such/route/456`)).toBe(404);

      const res = await fetch(`${running.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const live = { route: '/health/live', method: 'GET', status: '200' };
      expect(sample(text, 'http_requests_total', live)).toBe(3);
      expect(sample(text, 'http_request_duration_seconds_count', live)).toBe(3);
      expect(sample(text, 'http_request_duration_seconds_sum', live)).toBeGreaterThan(0);
      expect(sample(text, 'http_request_duration_seconds_bucket', { ...live, le: '+Inf' })).toBe(3);
      expect(
        sample(text, 'http_requests_total', {
          route: '/health/ready',
          method: 'GET',
          status: '200',
        }),
      ).toBe(2);
      // Never the raw URL: every unmatched path shares one label.
      expect(
        sample(text, 'http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }),
      ).toBe(2);
      expect(text).not.toContain('/no/such/route');
      // The pool and process metrics.
      expect(sample(text, 'db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'db_pool_connections', { state: 'in_use' })).toBe(0);
      expect(sample(text, 'db_pool_waiting')).toBe(0);
      expect(sample(text, 'db_pool_max')).toBe(4);
      expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeDefined();
    });

    it('labels API requests with the route template, never the user or task id', async () => {
      const user = 'metrics-user';
      const headers = { authorization: await bearer(user), 'content-type': 'application/json' };
      const base = `${running.url}/api/${user}/tasks`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(base, {
          method: 'POST',
          headers,
          body: JSON.stringify({ title: `t${i}` }),
        });
        expect(res.status).toBe(201);
        ids.push(((await res.json()) as { id: string }).id);
      }
      const list = await fetch(base, { headers });
      expect(list.status).toBe(200);
      await list.arrayBuffer();
      for (const id of ids.slice(0, 2)) {
        const res = await fetch(`${base}/${id}`, { headers });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      const bad = await fetch(`${base}/not-a-uuid`, { headers });
      expect(bad.status).toBe(400);
      await bad.arrayBuffer();

      const text = await (await fetch(`${running.url}/metrics`)).text();
      const collection = '/api/:user_id/tasks';
      const item = '/api/:user_id/tasks/:task_id';
      expect(
        sample(text, 'http_requests_total', { route: collection, method: 'POST', status: '201' }),
      ).toBe(3);
      expect(
        sample(text, 'http_requests_total', { route: collection, method: 'GET', status: '200' }),
      ).toBe(1);
      expect(
        sample(text, 'http_requests_total', { route: item, method: 'GET', status: '200' }),
      ).toBe(2);
      expect(
        sample(text, 'http_requests_total', { route: item, method: 'GET', status: '400' }),
      ).toBe(1);
      expect(text).not.toContain(user);
      for (const id of ids) expect(text).not.toContain(id);
    });

    it('counts its own scrapes too, and needs no credentials', async () => {
      const text = await (await fetch(`${running.url}/metrics`)).text();
      expect(
        sample(text, 'http_requests_total', { route: '/metrics', method: 'GET', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
    });
  });

  describe('on METRICS_PORT', () => {
    let running: RunningApp;
    let metricsUrl: string;

    beforeAll(async () => {
      running = await startTestApp(
        testEnvironment(db.url, { METRICS_PORT: '0', HOST: '127.0.0.1' }),
      );
      metricsUrl = `http://127.0.0.1:${running.app.get(MetricsServer).port}`;
    });

    afterAll(async () => {
      await running?.close();
    });

    it('serves /metrics only there, and stops listening on close', async () => {
      expect(await get(`${running.url}/health/live`)).toBe(200);
      expect(await get(`${running.url}/metrics`)).toBe(404);
      const res = await fetch(`${metricsUrl}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(
        sample(text, 'http_requests_total', {
          route: '/health/live',
          method: 'GET',
          status: '200',
        }),
      ).toBe(1);
      expect(await get(`${metricsUrl}/other`)).toBe(404);
      await running.close();
      await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
    });
  });
});
