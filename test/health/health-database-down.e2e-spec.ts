import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { DatabaseConnectionError } from '../../src/core/database/pg-errors';
import { HEALTH_PING_REUSE_MS } from '../../src/core/ops/database.health';
import { LifecycleState } from '../../src/core/ops/lifecycle';
import { TasksService } from '../../src/tasks/tasks.service';
import { proxyInFrontOf, TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The app reaches its database through a local TCP relay; stopping the relay cuts the open
 * connections and refuses new ones, which is what a database outage looks like to the app.
 */
const U1 = { id: 'u1' };

describe('when the database goes away and comes back', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await proxyInFrontOf(db.url);
    app = await startTestApp({
      database: db,
      env: { DATABASE_URL: proxy.urlFor(db.url), DATABASE_CONNECT_TIMEOUT_MS: '1000' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await db?.drop();
  });

  const get = async (path: string) => {
    const res = await app.http.get<unknown>(path, { allow503: true });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body };
  };

  it('is healthy while the database answers', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    const overall = await get('/health');
    expect(overall.status).toBe(200);
    expect(overall.body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      shutting_down: false,
      database: { status: 'up', connected: true, database: db.name },
    });
    await app.get(TasksService).create(U1, { title: 'before the outage' });
  });

  it('answers 503 on ready, /health and /health/db, and 200 on live, while it is down', async () => {
    await proxy.refuse();
    // The probes share one ping whose answer serves them for HEALTH_PING_REUSE_MS.
    await new Promise((resolve) => setTimeout(resolve, HEALTH_PING_REUSE_MS + 50));

    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.retryAfter).toBe('5');
    expect(ready.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });

    const dbProbe = await get('/health/db');
    expect(dbProbe.status).toBe(503);
    expect(dbProbe.body).toEqual({ connected: false, latency_ms: null, database: null });

    const overall = await get('/health');
    expect(overall.status).toBe(503);
    expect(overall.body).toMatchObject({ status: 'error', database: { status: 'down' } });

    const live = await get('/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('fails data-layer calls with DatabaseConnectionError (retryable), not a generic error', async () => {
    const service = app.get(TasksService);
    await expect(
      service.list(U1, { limit: 10, order: 'desc', maxBytes: 1 << 20 }),
    ).rejects.toBeInstanceOf(DatabaseConnectionError);
    await expect(service.create(U1, { title: 'during' })).rejects.toBeInstanceOf(
      DatabaseConnectionError,
    );
  });

  it('recovers by itself once the database is back', async () => {
    await proxy.restore();
    await new Promise((resolve) => setTimeout(resolve, HEALTH_PING_REUSE_MS + 50));
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get('/health/db')).body).toMatchObject({ connected: true, database: db.name });
    const { rows } = await app
      .get(TasksService)
      .list(U1, { limit: 10, order: 'desc', maxBytes: 1 << 20 });
    expect(rows.map((t) => t.title)).toEqual(['before the outage']);
  });

  it('reports not ready while shutting down, even with the database up', async () => {
    app.get(LifecycleState).isShuttingDown = true;
    const ready = await get('/health/ready');
    expect(ready).toMatchObject({ status: 503, body: { status: 'shutting_down' } });
    const overall = await get('/health');
    expect(overall).toMatchObject({
      status: 503,
      body: { status: 'error', shutting_down: true, database: { status: 'up' } },
    });
    expect((await get('/health/live')).status).toBe(200);
  });
});
