import type { Task } from '../../src/tasks/task.entity';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

// The contract allows user ids of up to 255 characters, any Unicode, percent-encoded in the path
// (issue 12, finding 8: ids over 100 characters answered 414 on every route).
describe('user ids up to the contract limit work on every route', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['255 astral characters', '\u{1F600}'.repeat(255)],
    ['255 ASCII characters', 'a'.repeat(255)],
    ['an Auth0-style subject', 'auth0|5f0c6a8e3c2b4f8e9d710a4b'],
  ])('%s: create, list, get, update, complete, delete', async (_name, userId) => {
    const api = await app.http.asUser(userId);
    const tasks = `/api/${encodeURIComponent(userId)}/tasks`;
    const created = await api.post<Task>(tasks, { title: 'long id' });
    expect(created.status).toBe(201);
    expect(created.body.user_id).toBe(userId);
    const one = `${tasks}/${created.body.id}`;
    const list = await api.get<Task[]>(tasks);
    expect(list.status).toBe(200);
    expect(list.body.map((t) => t.id)).toEqual([created.body.id]);
    expect((await api.get<Task>(one)).body.title).toBe('long id');
    expect((await api.put<Task>(one, { title: 'renamed' })).body.title).toBe('renamed');
    expect((await api.patch<Task>(`${one}/complete`)).body.completed).toBe(true);
    expect((await api.delete(one)).status).toBe(204);
    expect((await api.get(one)).status).toBe(404);
  });

  it('refuses a segment past what any allowed id encodes to, in the contract format', async () => {
    const res = await app.http.raw<{ code: string; detail: string }>(
      'GET',
      `/api/${'a'.repeat(255 * 12 + 1)}/tasks`,
    );
    expect(res.status).toBe(414);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.text).not.toContain('aaaa');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
