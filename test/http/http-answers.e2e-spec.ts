import { expect, jest } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { connect } from 'node:net';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../src/core/ops/logging.module';
import type { HttpClient } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

/** What a client written against any HTTP API expects: standard statuses, headers and messages. */
describe('standard HTTP answers', () => {
  let app: TestApp;
  let api: HttpClient;
  let tasks: string;
  let taskPath: string;

  beforeAll(async () => {
    // warn: the level of a refused request's line, and of nothing the other tests here cause.
    app = await startTestApp({ env: { ...NO_RATE_LIMIT, LOG_LEVEL: 'warn' } });
    ({ api, tasks } = await app.newUser());
    const task = await api.post<{ id: string }>(tasks, { title: 'target' });
    taskPath = `${tasks}/${task.body.id}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const resolve = (path: string) => path.replace('{tasks}', tasks).replace('{task}', taskPath);

  describe('a method the path does not have: 405 with Allow, in the contract body', () => {
    it.each([
      ['DELETE', '{tasks}', 'GET, HEAD, POST'],
      ['POST', '{task}', 'DELETE, GET, HEAD, PATCH, PUT'],
      ['GET', '{task}/complete', 'PATCH'],
      ['POST', '/health/live', 'GET, HEAD'],
      ['PUT', '/metrics', 'GET, HEAD'],
    ])('%s %s', async (method, path, allow) => {
      const res = await api.raw<{ code: string; message: string; request_id: string }>(
        method,
        resolve(path),
      );
      expect([res.status, res.headers.get('allow'), res.body.code]).toEqual([
        405,
        allow,
        'METHOD_NOT_ALLOWED',
      ]);
      expect(res.body.message).toBe(`${method} is not allowed here; allowed: ${allow}`);
      expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
    });

    it('a path no route has is still 404', async () => {
      const res = await api.raw<{ code: string }>('POST', `${taskPath}/nothing`);
      expect([res.status, res.headers.get('allow'), res.body.code]).toEqual([
        404,
        null,
        'NOT_FOUND',
      ]);
    });
  });

  describe('query parameters a route does not take: 400, as unknown body fields are', () => {
    it.each([
      ['GET', '{tasks}?limit=5&colour=red'],
      ['GET', '{task}?expand=all'],
      ['DELETE', '{task}?force=1'],
      ['PUT', '{task}?dry_run=1'],
    ])('%s %s', async (method, path) => {
      const res = await api.request(method, resolve(path), {
        json: method === 'PUT' ? { title: 'x' } : undefined,
      });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.message).toMatch(/^[a-z_]+: is not an accepted field$/);
    });

    it('but not on health routes, where probes and monitors add cache-busting parameters', async () => {
      expect((await api.get('/health/live?_=1733540000')).status).toBe(200);
    });

    it('nothing changed: the task is still there and unchanged', async () => {
      const res = await api.get<{ title: string }>(taskPath);
      expect([res.status, res.body.title]).toEqual([200, 'target']);
    });

    it('lists each unknown parameter', async () => {
      const res = await api.get(`${taskPath}?a=1&b=2`);
      expect(res.body.message).toBe('a: is not an accepted field (and 1 more)');
      expect(res.body.details).toEqual({
        fields: { a: ['is not an accepted field'], b: ['is not an accepted field'] },
      });
    });
  });

  it('a create without a title says the title is required', async () => {
    const res = await api.post(tasks, { description: 'no title' });
    expect([res.status, res.body.message]).toEqual([400, 'title: is required']);
  });

  it('a body over the limit is refused with the limit in the message', async () => {
    const res = await api.post(tasks, { title: 'x', description: 'y'.repeat(70_000) });
    expect([res.status, res.body.code, res.body.message]).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
      'The request body must be at most 65536 bytes',
    ]);
  });

  it('a client that hangs up mid-body: logged as "client aborted" (warn), counted as 499, never a 500', async () => {
    const logger = app.nest.get<Logger>(ROOT_LOGGER);
    const lines: Array<{ level: string; message: unknown; fields: unknown }> = [];
    for (const level of ['warn', 'error'] as const)
      jest.spyOn(logger, level).mockImplementation((fields: unknown, message?: unknown) => {
        lines.push({ level, message, fields });
      });
    try {
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${tasks} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${api.token}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.destroy();
      for (let i = 0; i < 50 && lines.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      jest.restoreAllMocks();
    }
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'client aborted',
        fields: expect.objectContaining({ res: { statusCode: 499 } }),
      },
    ]);
    const metrics = await app.http.raw('GET', '/metrics');
    expect(metrics.text).toContain(
      'http_requests_total{route="/api/:user_id/tasks",method="POST",status="499"} 1',
    );
    expect(metrics.text).not.toMatch(/status="500"/);
  });
});
