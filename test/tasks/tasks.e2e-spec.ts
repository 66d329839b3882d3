import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task as TaskBody } from '../../src/tasks/task.entity';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('tasks API over HTTP: every route, its success and its errors', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('success paths', () => {
    it('creates a task: 201, the task, a Location that serves it', async () => {
      const { api, tasks, userId } = await app.newUser();
      const res = await api.post<TaskBody>(tasks, { title: '  Buy milk  ', description: 'semi' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_RE),
        user_id: userId,
        title: 'Buy milk',
        description: 'semi',
        completed: false,
        created_at: expect.stringMatching(ISO_RE),
        updated_at: expect.stringMatching(ISO_RE),
      });
      expect(res.headers.get('location')).toBe(`${tasks}/${res.body.id}`);
      const fetched = await api.get<TaskBody>(res.headers.get('location')!);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(res.body);
    });

    it('defaults description to null and completed to false; accepts completed on create', async () => {
      const { api, tasks } = await app.newUser();
      const plain = await api.post<TaskBody>(tasks, { title: 'a' });
      expect(plain.body).toMatchObject({ description: null, completed: false });
      const done = await api.post<TaskBody>(tasks, {
        title: 'b',
        description: null,
        completed: true,
      });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ description: null, completed: true });
    });

    it('lists newest first, filters by completed, orders asc on request', async () => {
      const { api, tasks } = await app.newUser();
      const created: TaskBody[] = [];
      for (const [i, completed] of [false, true, false].entries()) {
        created.push((await api.post<TaskBody>(tasks, { title: `t${i}`, completed })).body);
      }
      const all = await api.get<TaskBody[]>(tasks);
      expect(all.status).toBe(200);
      expect(all.body.map((t) => t.title)).toEqual(['t2', 't1', 't0']);
      expect(all.headers.get('link')).toBeNull();
      expect(all.headers.get('x-next-cursor')).toBeNull();
      expect((await api.get<TaskBody[]>(`${tasks}?order=asc`)).body.map((t) => t.title)).toEqual([
        't0',
        't1',
        't2',
      ]);
      const open = await api.get<TaskBody[]>(`${tasks}?completed=false`);
      expect(open.body.map((t) => t.title)).toEqual(['t2', 't0']);
      const closed = await api.get<TaskBody[]>(`${tasks}?completed=true`);
      expect(closed.body).toEqual([created[1]]);
    });

    it('lists an empty array for a user without tasks', async () => {
      const { api, tasks } = await app.newUser();
      const res = await api.get(tasks);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it('pages with Link and X-Next-Cursor, keeping the filters in the next link', async () => {
      const { api, tasks } = await app.newUser();
      for (let i = 0; i < 5; i++) await api.post(tasks, { title: `p${i}`, completed: i % 2 === 0 });
      const first = await api.get<TaskBody[]>(`${tasks}?limit=2&completed=true&order=asc`);
      expect(first.body.map((t) => t.title)).toEqual(['p0', 'p2']);
      const cursor = first.headers.get('x-next-cursor')!;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const link = first.headers.get('link')!;
      const match = /^<([^>]+)>; rel="next"$/.exec(link);
      expect(match).not.toBeNull();
      const next = new URL(match![1], app.url);
      expect(next.pathname).toBe(tasks);
      expect(Object.fromEntries(next.searchParams)).toEqual({
        cursor,
        limit: '2',
        completed: 'true',
        order: 'asc',
      });
      const second = await api.get<TaskBody[]>(match![1]);
      expect(second.body.map((t) => t.title)).toEqual(['p4']);
      expect(second.headers.get('link')).toBeNull();
    });

    it('updates with PUT and PATCH, only the fields sent; updated_at moves, created_at stays', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'x', description: 'd' })).body;
      const put = await api.put<TaskBody>(`${tasks}/${task.id}`, { title: ' y ' });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        id: task.id,
        title: 'y',
        description: 'd',
        completed: false,
      });
      expect(put.body.created_at).toBe(task.created_at);
      expect(Date.parse(put.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(task.updated_at));
      const patch = await api.patch<TaskBody>(`${tasks}/${task.id}`, {
        description: null,
        completed: true,
      });
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({ title: 'y', description: null, completed: true });
      expect((await api.get(`${tasks}/${task.id}`)).body).toEqual(patch.body);
    });

    it('toggles completed without a body, sets it with one (retry-safe)', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'x' })).body;
      const complete = `${tasks}/${task.id}/complete`;
      expect((await api.patch<TaskBody>(complete)).body.completed).toBe(true);
      expect((await api.patch<TaskBody>(complete)).body.completed).toBe(false);
      expect((await api.patch<TaskBody>(complete, {})).body.completed).toBe(true);
      const empty = await api.request<TaskBody>('PATCH', complete, {
        body: '',
        headers: { 'content-type': 'application/json' },
      });
      expect(empty.status).toBe(200);
      expect(empty.body.completed).toBe(false);
      for (let i = 0; i < 2; i++) {
        const set = await api.patch<TaskBody>(complete, { completed: true });
        expect(set.status).toBe(200);
        expect(set.body.completed).toBe(true);
      }
      expect((await api.patch<TaskBody>(complete, { completed: false })).body.completed).toBe(
        false,
      );
    });

    it('deletes: 204 with an empty body, then 404', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'x' })).body;
      const del = await api.delete(`${tasks}/${task.id}`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await api.get(`${tasks}/${task.id}`)).status).toBe(404);
      expect((await api.delete(`${tasks}/${task.id}`)).status).toBe(404);
    });

    it('accepts an upper-case task id as the same task', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'x' })).body;
      const res = await api.get<TaskBody>(`${tasks}/${task.id.toUpperCase()}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(task.id);
    });

    it('serves /metrics without a token, as documented', async () => {
      const res = await app.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toContain('# TYPE');
    });

    it('serves health routes without a token', async () => {
      for (const path of ['/health', '/health/live', '/health/ready', '/health/db']) {
        const res = await app.http.get(path);
        expect(res.status).toBe(200);
      }
    });
  });

  describe('errors of the contract, all in the one error format', () => {
    it('400 VALIDATION_ERROR lists each bad field in details.fields', async () => {
      const { api, tasks } = await app.newUser();
      const res = await api.post(tasks, { title: '', description: 5, completed: 'yes', extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'title: must not be blank (and 3 more)',
        detail: 'title: must not be blank (and 3 more)',
        details: {
          fields: {
            title: ['must not be blank'],
            description: ['must be a string or null'],
            completed: ['must be true or false'],
            extra: ['is not an accepted field'],
          },
        },
        request_id: res.headers.get('x-request-id'),
      });
    });

    it('400 VALIDATION_ERROR for an update without any field', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'x' })).body;
      for (const method of ['PUT', 'PATCH']) {
        const res = await api.request(method, `${tasks}/${task.id}`, { json: {} });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_ERROR');
        expect(res.body.detail).toBe(
          'body: must set at least one of title, description, completed',
        );
      }
    });

    it('400 INVALID_UUID for a task id that is not a UUID, on every task route', async () => {
      const { api, tasks } = await app.newUser();
      const bad = `${tasks}/not-a-uuid`;
      const responses = [
        await api.get(bad),
        await api.put(bad, { title: 'x' }),
        await api.patch(bad, { title: 'x' }),
        await api.patch(`${bad}/complete`),
        await api.delete(bad),
      ];
      for (const res of responses) {
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_UUID');
        expect(res.body.details).toEqual({ fields: { task_id: ['must be a UUID'] } });
        expect(res.body.detail).toBe('task_id: must be a UUID');
      }
    });

    it('400 MALFORMED_JSON for a body that is not JSON', async () => {
      const { api, tasks } = await app.newUser();
      for (const body of ['{"title": ', '{title: "x"}', "{'title': 'x'}", '{"title":"x"}}']) {
        const res = await api.request('POST', tasks, {
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('MALFORMED_JSON');
      }
    });

    it('404 NOT_FOUND for an unknown task, on every task route', async () => {
      const { api, tasks } = await app.newUser();
      const missing = `${tasks}/${randomUUID()}`;
      const responses = [
        await api.get(missing),
        await api.put(missing, { title: 'x' }),
        await api.patch(missing, { title: 'x' }),
        await api.patch(`${missing}/complete`),
        await api.patch(`${missing}/complete`, { completed: true }),
        await api.delete(missing),
      ];
      for (const res of responses) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({
          code: 'NOT_FOUND',
          message: 'Task not found',
          detail: 'Task not found',
          details: {},
          request_id: res.headers.get('x-request-id'),
        });
      }
    });

    it('404 NOT_FOUND for an unknown route, 405 METHOD_NOT_ALLOWED for a wrong method, in the error format', async () => {
      const { api, tasks } = await app.newUser();
      const unknown = [
        await api.get('/nope'),
        await api.get('/api'),
        await api.get(`${tasks}/`),
        await api.get(`${tasks}/x/y`),
      ];
      for (const res of unknown) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'NOT_FOUND', details: {} });
      }
      const wrongMethod = [
        await api.post(`${tasks}/${randomUUID()}`, { title: 'x' }),
        await api.delete(tasks),
        await api.get(`${tasks}/${randomUUID()}/complete`),
      ];
      for (const res of wrongMethod) {
        expect(res.status).toBe(405);
        expect(res.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: {} });
      }
    });

    it("404 for another user's task, identical to a task that does not exist", async () => {
      const owner = await app.newUser();
      const other = await app.newUser();
      const task = (await owner.api.post<TaskBody>(owner.tasks, { title: 'mine' })).body;
      const missing = randomUUID();
      const pairs: [string, string, unknown?][] = [
        ['GET', ''],
        ['PUT', '', { title: 'stolen' }],
        ['PATCH', '', { completed: true }],
        ['PATCH', '/complete'],
        ['DELETE', ''],
      ];
      for (const [method, suffix, json] of pairs) {
        const theirs = await other.api.request(method, `${other.tasks}/${task.id}${suffix}`, {
          json,
        });
        const none = await other.api.request(method, `${other.tasks}/${missing}${suffix}`, {
          json,
        });
        expect(theirs.status).toBe(404);
        expect(none.status).toBe(404);
        const { request_id: a, ...theirsBody } = theirs.body;
        const { request_id: b, ...noneBody } = none.body;
        expect(a).not.toBe(b);
        expect(theirsBody).toEqual(noneBody);
        expect([...theirs.headers.keys()].sort()).toEqual([...none.headers.keys()].sort());
      }
      // and the owner's task is untouched
      expect((await owner.api.get(`${owner.tasks}/${task.id}`)).body).toEqual(task);
      expect((await other.api.get(other.tasks)).body).toEqual([]);
    });

    it('413 PAYLOAD_TOO_LARGE for a 2 MB body', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'x' })).body;
      const huge = JSON.stringify({ title: 'x', description: 'a'.repeat(2 * 1024 * 1024) });
      for (const [method, path] of [
        ['POST', tasks],
        ['PUT', `${tasks}/${task.id}`],
        ['PATCH', `${tasks}/${task.id}`],
      ]) {
        const res = await api.request(method, path, {
          body: huge,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(413);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('415 UNSUPPORTED_MEDIA_TYPE for text/plain, forms and a missing Content-Type', async () => {
      const { api, tasks } = await app.newUser();
      const cases: [string | undefined, string][] = [
        ['text/plain', '{"title":"x"}'],
        ['application/x-www-form-urlencoded', 'title=x'],
        [
          'multipart/form-data; boundary=b',
          '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--b--',
        ],
        ['application/xml', '<title>x</title>'],
        [undefined, '{"title":"x"}'],
      ];
      for (const [type, body] of cases) {
        const res = await api.request('POST', tasks, {
          body: new TextEncoder().encode(body),
          headers: type ? { 'content-type': type } : {},
        });
        expect({ type, status: res.status }).toEqual({ type, status: 415 });
        expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      expect((await api.get(tasks)).body).toEqual([]);
    });

    it('accepts application/json with a charset', async () => {
      const { api, tasks } = await app.newUser();
      const res = await api.request('POST', tasks, {
        body: '{"title":"x"}',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(res.status).toBe(201);
    });
  });

  describe('X-Request-Id', () => {
    it('echoes a sane id, on success and on error', async () => {
      const { api, tasks } = await app.newUser();
      const ok = await api.get(tasks, { headers: { 'x-request-id': 'abc-123.XYZ:9_z' } });
      expect(ok.headers.get('x-request-id')).toBe('abc-123.XYZ:9_z');
      const err = await api.get(`${tasks}/nope`, { headers: { 'x-request-id': 'req-42' } });
      expect(err.headers.get('x-request-id')).toBe('req-42');
      expect(err.body.request_id).toBe('req-42');
    });

    it('replaces an insane id with a new UUID', async () => {
      const { api, tasks } = await app.newUser();
      const insane = [
        'a'.repeat(129),
        'has space',
        'semi;colon',
        'back\\slash',
        '<b>',
        'a/b',
        '%20',
        'ünï',
        '',
      ];
      for (const sent of insane) {
        const res = await api.get(`${tasks}/nope`, { headers: { 'x-request-id': sent } });
        const id = res.headers.get('x-request-id')!;
        expect(id).toMatch(UUID_RE);
        expect(res.body.request_id).toBe(id);
      }
    });

    it('generates a distinct id per request when none is sent', async () => {
      const { api, tasks } = await app.newUser();
      const a = await api.get(tasks);
      const b = await api.get(tasks);
      expect(a.headers.get('x-request-id')).toMatch(UUID_RE);
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    });
  });

  describe('OpenAPI served by the app', () => {
    // /docs is not part of the API document, so these requests go unchecked (raw).
    it('serves the committed document at /docs/openapi.json', async () => {
      const res = await app.http.raw('GET', '/docs/openapi.json', { timeoutMs: 10_000 });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const committed: unknown = JSON.parse(
        readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
      );
      expect(res.body).toEqual(committed);
    });

    it('serves Swagger UI at /docs', async () => {
      const html = await app.http.raw('GET', '/docs', { timeoutMs: 10_000 });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      const page = html.text;
      expect(page).toContain('<div id="swagger-ui">');
      expect(page).not.toMatch(/<script>/); // no inline script: works under a strict CSP
      const init = await app.http.raw('GET', '/docs/swagger-initializer.js', { timeoutMs: 10_000 });
      expect(init.text).toContain("url: '/docs/openapi.json'");
      expect((await app.http.raw('GET', '/docs/')).status).toBe(200);
      const missing = await app.http.get('/docs/package.json');
      expect(missing.status).toBe(404);
      for (const asset of [
        'swagger-initializer.js',
        'swagger-ui-bundle.js',
        'swagger-ui-standalone-preset.js',
        'swagger-ui.css',
        'favicon-32x32.png',
      ]) {
        const res = await app.http.raw('GET', `/docs/${asset}`, { timeoutMs: 10_000 });
        expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      }
    });
  });
});
