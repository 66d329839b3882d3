import type { Task } from '../../src/tasks/task.entity';
import type { ErrorResponseBody } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, tokenFor } from '../support/tokens';

const SOME_TASK = '00000000-0000-4000-8000-000000000000';
// Every row has three entries: jest passes `done` to a test function with more parameters than
// the row has values.
const ROUTES: Array<[string, string, object | undefined]> = [
  ['GET', '/api/alice/tasks', undefined],
  ['POST', '/api/alice/tasks', { title: 'x' }],
  ['GET', `/api/alice/tasks/${SOME_TASK}`, undefined],
  ['PUT', `/api/alice/tasks/${SOME_TASK}`, { title: 'y' }],
  ['PATCH', `/api/alice/tasks/${SOME_TASK}`, { title: 'y' }],
  ['PATCH', `/api/alice/tasks/${SOME_TASK}/complete`, undefined],
  ['DELETE', `/api/alice/tasks/${SOME_TASK}`, undefined],
];

describe('the tasks API behind authentication', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  function send<T = ErrorResponseBody>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: object,
  ) {
    return app.http.request<T>(method, path, { headers, json: body, timeoutMs: 10_000 });
  }
  const authHeaders = async (userId: string) => ({ authorization: await bearer(userId) });

  it.each(ROUTES)(
    '%s %s without a token: 401 UNAUTHORIZED in the contract format',
    async (method, path, body) => {
      const res = await send(method, path, { 'x-request-id': 'req-401' }, body);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tasks-api"');
      expect(res.headers.get('x-request-id')).toBe('req-401');
      expect(res.body).toEqual({
        code: 'UNAUTHORIZED',
        message: 'Authorization header is missing',
        detail: 'Authorization header is missing',
        details: {},
        request_id: 'req-401',
      });
    },
  );

  it.each(ROUTES)("%s %s with bob's token: 403 FORBIDDEN", async (method, path, body) => {
    const res = await send(method, path, await authHeaders('bob'), body);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', details: {} });
  });

  it('401 TOKEN_EXPIRED and INVALID_TOKEN carry the invalid_token challenge and a request id', async () => {
    const expired = await tokenFor('alice', { exp: Math.floor(Date.now() / 1000) - 3600 });
    const res = await send('GET', '/api/alice/tasks', { authorization: `Bearer ${expired}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(res.body.code).toBe('TOKEN_EXPIRED');
    expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
    const bad = await send('GET', '/api/alice/tasks', { authorization: 'Bearer not.a.jwt' });
    expect(bad.body).toMatchObject({
      code: 'INVALID_TOKEN',
      details: { reason: 'malformed' },
    });
  });

  it("runs the README's session: create, list, get, update, complete, delete", async () => {
    const auth = await authHeaders('alice');
    const created = await send<Task>('POST', '/api/alice/tasks', auth, {
      title: 'Buy milk',
      description: '2 litres',
    });
    expect(created.status).toBe(201);
    const task = created.body;
    expect(task.user_id).toBe('alice');
    expect(created.headers.get('location')).toBe(`/api/alice/tasks/${task.id}`);

    const list = await send<Task[]>('GET', '/api/alice/tasks', auth);
    expect(list.body.map((t) => t.id)).toEqual([task.id]);
    expect((await send('GET', `/api/alice/tasks/${task.id}`, auth)).status).toBe(200);

    const updated = await send('PUT', `/api/alice/tasks/${task.id}`, auth, {
      title: 'Buy oat milk',
    });
    expect(updated.body).toMatchObject({ title: 'Buy oat milk', completed: false });
    const completed = await send('PATCH', `/api/alice/tasks/${task.id}/complete`, auth);
    expect(completed.body).toMatchObject({ completed: true });

    // Bob, with his own valid token and path, cannot see it.
    const bob = await authHeaders('bob');
    expect((await send('GET', `/api/bob/tasks/${task.id}`, bob)).status).toBe(404);
    expect((await send('GET', '/api/bob/tasks', bob)).body).toEqual([]);

    expect((await send('DELETE', `/api/alice/tasks/${task.id}`, auth)).status).toBe(204);
    expect((await send('GET', `/api/alice/tasks/${task.id}`, auth)).status).toBe(404);
  });

  it('keeps user ids with reserved characters working end to end', async () => {
    const user = 'google-oauth2|1234 5678';
    const path = `/api/${encodeURIComponent(user)}/tasks`;
    const created = await send('POST', path, await authHeaders(user), { title: 'odd id' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ user_id: user });
    expect(created.headers.get('location')).toMatch(new RegExp(`^${path.replace(/[|]/g, '\\|')}/`));
  });
});
