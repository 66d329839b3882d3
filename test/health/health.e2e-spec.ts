import { createTestDatabase, TestDatabase } from '../support/test-database';
import { RunningApp, startTestApp } from '../support/test-app';

describe('health endpoints (database up)', () => {
  let db: TestDatabase;
  let running: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    running = await startTestApp(db.env);
  });

  afterAll(async () => {
    await running?.close();
    await db?.drop();
  });

  it('answers liveness without the database', async () => {
    const res = await fetch(`${running.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready and reports the database by name', async () => {
    const res = await fetch(`${running.url}/health/db`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { latency_ms: number };
    expect(body).toMatchObject({ connected: true, database: db.name });
    expect(body.latency_ms).toBeGreaterThanOrEqual(0);
    expect((await fetch(`${running.url}/health/ready`)).status).toBe(200);
  });
});
