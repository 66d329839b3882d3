import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { randomUUID } from 'node:crypto';
import type { Task } from '../../src/tasks/task.entity';
import type { HttpClient } from '../support/http';
import { proxyInFrontOf, TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, NO_RATE_LIMIT, TestDatabase } from '../support/test-database';

/**
 * The API while its database is unreachable (a local TCP relay in front of PostgreSQL is
 * stopped): every task route answers 503 SERVICE_UNAVAILABLE with Retry-After, in the documented
 * shape, and serves again once the database is back.
 */
describe('tasks API while the database is unreachable', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;
  let api: HttpClient;
  const userId = `user-${randomUUID()}`;
  const tasks = `/api/${userId}/tasks`;
  let taskPath: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await proxyInFrontOf(db.url);
    app = await startTestApp({
      database: db,
      env: {
        ...NO_RATE_LIMIT,
        DATABASE_URL: proxy.urlFor(db.url),
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
      },
    });
    api = await app.http.asUser(userId);
    const created = await api.post<Task>(tasks, { title: 'before the outage' });
    expect(created.status).toBe(201);
    taskPath = `${tasks}/${created.body.id}`;
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After on every task route, then recovers', async () => {
    await proxy.refuse();
    const calls: [string, string, unknown?][] = [
      ['GET', tasks],
      ['POST', tasks, { title: 'during' }],
      ['GET', taskPath],
      ['PUT', taskPath, { title: 'x' }],
      ['PATCH', taskPath, { completed: true }],
      ['PATCH', `${taskPath}/complete`],
      ['DELETE', taskPath],
    ];
    for (const [method, path, json] of calls) {
      const res = await api.request(method, path, { json, allow503: true });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 503 });
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: expect.any(String),
        detail: expect.any(String),
        details: {},
        request_id: res.headers.get('x-request-id'),
      });
    }
    // Input errors are still answered without the database.
    expect((await api.get(`${tasks}/not-a-uuid`)).status).toBe(400);
    expect((await api.get(`${tasks}?limit=0`)).status).toBe(400);
    // Health routes say so in their documented shape.
    for (const path of ['/health', '/health/db', '/health/ready']) {
      const res = await api.get(path, { allow503: true, token: null });
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
    }

    await proxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await api.get(taskPath, { allow503: true })).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect((await api.get(tasks)).body).toHaveLength(1);
  });
});
