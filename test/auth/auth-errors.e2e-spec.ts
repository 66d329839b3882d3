import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';
import { TEST_JWT_SECRET, tokenFor } from '../support/tokens';

/**
 * The authentication and rate-limit answers of the task routes, as openapi.json documents them
 * (status listed for the route, `Error` body with a code allowed for that status, and the
 * WWW-Authenticate / Retry-After headers). The auth rules themselves are in auth.e2e-spec.ts.
 */
describe('401, 403 and 429 on the task routes match openapi.json', () => {
  let app: TestApp;
  const taskId = randomUUID();

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
  });

  afterAll(async () => {
    await app?.close();
  });

  const routes = (user: string): [string, string, unknown?][] => {
    const tasks = `/api/${encodeURIComponent(user)}/tasks`;
    return [
      ['GET', tasks],
      ['POST', tasks, { title: 'x' }],
      ['GET', `${tasks}/${taskId}`],
      ['PUT', `${tasks}/${taskId}`, { title: 'x' }],
      ['PATCH', `${tasks}/${taskId}`, { title: 'x' }],
      ['PATCH', `${tasks}/${taskId}/complete`],
      ['DELETE', `${tasks}/${taskId}`],
    ];
  };

  it.each([
    ['no token', 'UNAUTHORIZED', () => Promise.resolve(null)],
    [
      'a token signed with another secret',
      'INVALID_TOKEN',
      () => tokenFor('alice', {}, { key: `${TEST_JWT_SECRET}-other` }),
    ],
    [
      'an expired token',
      'TOKEN_EXPIRED',
      () => tokenFor('alice', { exp: Math.floor(Date.now() / 1000) - 3600 }),
    ],
    ['garbage', 'INVALID_TOKEN', () => Promise.resolve('not.a.jwt')],
  ])('401 with %s', async (_, code, token) => {
    const api = app.http.withToken(await token());
    for (const [method, path, json] of routes('alice')) {
      const res = await api.request(method, path, { json });
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({
        method,
        path,
        status: 401,
        code,
      });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('401 before the body is read: a missing token wins over a bad, wrong-typed or oversized body', async () => {
    const tasks = '/api/alice/tasks';
    const bodies: [string, Record<string, string>][] = [
      ['{"title":', { 'content-type': 'application/json' }],
      ['{"title":""}', { 'content-type': 'application/json' }],
      ['title=x', { 'content-type': 'application/x-www-form-urlencoded' }],
      [`{"title":"${'x'.repeat(100 * 1024)}"}`, { 'content-type': 'application/json' }],
    ];
    for (const [body, headers] of bodies) {
      const res = await app.http.request('POST', tasks, { body, headers });
      expect({ type: headers['content-type'], size: body.length, status: res.status }).toEqual({
        type: headers['content-type'],
        size: body.length,
        status: 401,
      });
      expect(res.body.code).toBe('UNAUTHORIZED');
    }
  });

  it("403 FORBIDDEN for another user's path, before the body or the task id is looked at", async () => {
    const api = await app.http.asUser('alice');
    for (const [method, path, json] of routes('bob')) {
      const res = await api.request(method, path, { json });
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
  });

  describe('rate limit', () => {
    let limitedApp: TestApp;

    beforeAll(async () => {
      limitedApp = await startTestApp({
        env: { RATE_LIMIT_LIMIT: '2', RATE_LIMIT_TTL_MS: '60000' },
      });
    });

    afterAll(async () => {
      await limitedApp?.close();
    });

    it('429 RATE_LIMITED with Retry-After once the budget is spent; health is not limited', async () => {
      const api = await limitedApp.http.asUser('busy');
      expect((await api.get('/api/busy/tasks')).status).toBe(200);
      expect((await api.post('/api/busy/tasks', { title: 'x' })).status).toBe(201);
      const limited = await api.get('/api/busy/tasks');
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 5; i++) expect((await api.get('/health/live')).status).toBe(200);
    });
  });
});
