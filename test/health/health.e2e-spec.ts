import { SqlExecutor } from '../../src/core/database/sql-executor';
import { MetricsServer } from '../../src/core/ops/metrics.server';
import { HttpClient } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('health endpoints (database up)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers liveness without the database', async () => {
    const res = await app.http.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready and reports the database by name', async () => {
    const res = await app.http.get<{ latency_ms: number }>('/health/db');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ connected: true, database: app.db.name });
    expect(res.body.latency_ms).toBeGreaterThanOrEqual(0);
    expect((await app.http.get('/health/ready')).status).toBe(200);
  });

  it('echoes a sane X-Request-Id and replaces anything else', async () => {
    const sane = await app.http.get('/health/live', {
      headers: { 'X-Request-Id': 'trace-42.a:b' },
    });
    expect(sane.headers.get('x-request-id')).toBe('trace-42.a:b');
    const insane = await app.http.get('/health/live', {
      headers: { 'X-Request-Id': 'x'.repeat(200) },
    });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with 404 and a request id', async () => {
    const res = await app.http.get('/no/such/route');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health endpoints under a flood', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('share one database ping: 300 concurrent probes cost one query a second', async () => {
    const sql = app.get(SqlExecutor);
    const run = jest.spyOn(sql, 'run');
    const started = Date.now();
    const paths = ['/health/db', '/health', '/health/ready'];
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => app.http.get(paths[i % 3])),
    );
    expect(answers.every((res) => res.status === 200)).toBe(true);
    const pings = run.mock.calls.filter(([statement]) => statement.name === 'health_ping');
    expect(pings.length).toBeGreaterThanOrEqual(1);
    expect(pings.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    expect(pings.length).toBeLessThan(20);
    run.mockRestore();
  });
});

describe('health details moved to the metrics port', () => {
  let app: TestApp;
  let metrics: HttpClient;

  beforeAll(async () => {
    app = await startTestApp({
      env: { METRICS_PORT: '0', HEALTH_DETAILS_ON_METRICS_PORT: 'true' },
    });
    metrics = new HttpClient(`http://127.0.0.1:${app.get(MetricsServer).port}`);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers /health and /health/db there, 404 on the API port; readiness stays', async () => {
    for (const path of ['/health', '/health/db']) {
      expect((await app.http.raw('GET', path)).status).toBe(404);
    }
    const db = await metrics.raw('GET', '/health/db');
    expect(db.status).toBe(200);
    expect(JSON.parse(db.text)).toMatchObject({ connected: true, database: app.db.name });
    const overall = await metrics.raw('GET', '/health');
    expect(JSON.parse(overall.text)).toMatchObject({ status: 'ok', database: { status: 'up' } });
    expect((await app.http.get('/health/ready')).status).toBe(200);
    expect((await app.http.get('/health/live')).status).toBe(200);
  });
});
