import { MetricsServer } from '../../src/core/ops/metrics.server';
import type { Task } from '../../src/tasks/task.entity';
import { HttpClient } from '../support/http';
import { sample } from '../support/prometheus';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('metrics', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('on the main port', () => {
    let app: TestApp;
    const get = async (path: string) => (await app.http.get(path)).status;

    beforeAll(async () => {
      app = await startTestApp({ database: db });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('counts requests by route template, method and status, with durations', async () => {
      for (let i = 0; i < 3; i++) expect(await get('/health/live')).toBe(200);
      for (let i = 0; i < 2; i++) expect(await get('/health/ready')).toBe(200);
      expect(await get('/no/such/route/123')).toBe(404);
      expect(await get('/no/such/route/456')).toBe(404);

      const res = await app.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.text;
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
      const api = await app.http.asUser(user);
      const base = `/api/${user}/tasks`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api.post<Task>(base, { title: `t${i}` });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const list = await api.get(base);
      expect(list.status).toBe(200);
      for (const id of ids.slice(0, 2)) {
        const res = await api.get(`${base}/${id}`);
        expect(res.status).toBe(200);
      }
      const bad = await api.get(`${base}/not-a-uuid`);
      expect(bad.status).toBe(400);

      const text = (await app.http.get('/metrics')).text;
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
      const text = (await app.http.get('/metrics')).text;
      expect(
        sample(text, 'http_requests_total', { route: '/metrics', method: 'GET', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
    });
  });

  describe('on METRICS_PORT', () => {
    let app: TestApp;
    /** The metrics listener is not the API: openapi.json does not describe it (raw requests). */
    let metrics: HttpClient;

    beforeAll(async () => {
      app = await startTestApp({ database: db, env: { METRICS_PORT: '0', HOST: '127.0.0.1' } });
      metrics = new HttpClient(`http://127.0.0.1:${app.get(MetricsServer).port}`);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('serves /metrics only there, and stops listening on close', async () => {
      expect((await app.http.get('/health/live')).status).toBe(200);
      // openapi.json documents /metrics on the main port; with METRICS_PORT it moves away.
      expect((await app.http.raw('GET', '/metrics')).status).toBe(404);
      const res = await metrics.raw('GET', '/metrics');
      expect(res.status).toBe(200);
      const text = res.text;
      expect(
        sample(text, 'http_requests_total', {
          route: '/health/live',
          method: 'GET',
          status: '200',
        }),
      ).toBe(1);
      expect((await metrics.raw('GET', '/other')).status).toBe(404);
      await app.close();
      await expect(metrics.raw('GET', '/metrics')).rejects.toThrow();
    });
  });
});
