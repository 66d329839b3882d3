import { useAppOnFreshDatabase } from '../support/test-app';

describe('health endpoints (database up)', () => {
  const app = useAppOnFreshDatabase();

  it('answers liveness without the database', async () => {
    const res = await fetch(`${app.running.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready and reports the database by name', async () => {
    const res = await fetch(`${app.running.url}/health/db`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { latency_ms: number };
    expect(body).toMatchObject({ connected: true, database: app.db.name });
    expect(body.latency_ms).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${app.running.url}/health/ready`)).status).toBe(200);
  });

  it('echoes a sane X-Request-Id and replaces anything else', async () => {
    const sane = await fetch(`${app.running.url}/health/live`, {
      headers: { 'X-Request-Id': 'trace-42.a:b' },
    });
    expect(sane.headers.get('x-request-id')).toBe('trace-42.a:b');
    const insane = await fetch(`${app.running.url}/health/live`, {
      headers: { 'X-Request-Id': 'x'.repeat(200) },
    });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with 404 and a request id', async () => {
    const res = await fetch(`${app.running.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
