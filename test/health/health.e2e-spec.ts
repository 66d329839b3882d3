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
