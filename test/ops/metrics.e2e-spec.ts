import { MetricsServer } from '../../src/metrics/metrics.server';
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
      running = await startTestApp(db.env);
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
