import { randomUUID } from 'node:crypto';
import type { Task as TaskBody } from '../../src/tasks/task.entity';
import type { ErrorResponseBody, HttpClient, HttpResponse } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

/**
 * Inputs a hostile or careless client sends. None may produce a 5xx (the HTTP client asserts that
 * on every response, and that each response is what openapi.json documents).
 */
describe('nasty inputs over HTTP', () => {
  let app: TestApp;
  let api: HttpClient;
  let tasks: string;
  let taskPath: string;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
    ({ api, tasks } = await app.newUser());
    const task = await api.post<TaskBody>(tasks, { title: 'target' });
    taskPath = `${tasks}/${task.body.id}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  function expectFieldError(
    res: HttpResponse<ErrorResponseBody>,
    field: string,
    code = 'VALIDATION_ERROR',
  ) {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: 400, code });
    expect(Object.keys(res.body.details.fields)).toContain(field);
  }

  describe('text is stored and returned byte-exact', () => {
    const samples: Record<string, string> = {
      emoji: '😀 family 👩‍👩‍👧‍👦 flag 🇺🇦 skin 👍🏽',
      rtl: 'שלום עולם مرحبا بالعالم \u202Eevil\u202C',
      combining: 'e\u0301 vs \u00e9, Z\u0324\u0354\u0367\u0311\u0313, a\u0308\u0304',
      cjk: '漢字かなカナ한국어',
      astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𓀀 \u{10FFFD}',
      sql: `'; DROP TABLE tasks; -- " \\ %_`,
      separators: 'line\u2028paragraph\u2029C1 \u0080\u009f',
      html: '<script>alert(1)</script>&amp;',
    };

    it.each(Object.entries(samples))('%s', async (_, text) => {
      const created = await api.post<TaskBody>(tasks, { title: text, description: text });
      expect(created.status).toBe(201);
      expect(created.body.title).toBe(text.trim());
      expect(created.body.description).toBe(text);
      const fetched = await api.get<TaskBody>(`${tasks}/${created.body.id}`);
      expect(Buffer.from(fetched.body.description!, 'utf8')).toEqual(Buffer.from(text, 'utf8'));
      expect(fetched.body.title).toBe(text.trim());
      const [row] = await app.db.query<{ description: string }>(
        'SELECT description FROM tasks WHERE id = $1',
        [created.body.id],
      );
      expect(row.description).toBe(text);
      // no normalization: composed and decomposed forms stay different
      if (_ === 'combining') expect(row.description.normalize('NFC')).not.toBe(text);
    });

    it('keeps a user id with non-ASCII and reserved characters, and its Location works', async () => {
      const userId = 'üser 1/2?#%';
      const user = await app.http.asUser(userId);
      const base = `/api/${encodeURIComponent(userId)}/tasks`;
      const created = await user.post<TaskBody>(base, { title: 'x' });
      expect(created.status).toBe(201);
      expect(created.body.user_id).toBe(userId);
      expect(created.headers.get('location')).toBe(`${base}/${created.body.id}`);
      expect((await user.get(created.headers.get('location')!)).body).toEqual(created.body);
    });
  });

  describe('lengths count characters (code points), as the contract says', () => {
    it('title of exactly 255 emoji is accepted, 256 refused', async () => {
      const ok = await api.post<TaskBody>(tasks, { title: '😀'.repeat(255) });
      expect(ok.status).toBe(201);
      expect(ok.body.title).toBe('😀'.repeat(255));
      expectFieldError(await api.post(tasks, { title: '😀'.repeat(256) }), 'title');
      expectFieldError(await api.patch(taskPath, { title: '😀'.repeat(256) }), 'title');
    });

    it('title of 255 ASCII characters plus surrounding spaces is accepted (trimmed first)', async () => {
      const res = await api.post<TaskBody>(tasks, { title: `  ${'a'.repeat(255)}\n` });
      expect(res.status).toBe(201);
      expect(res.body.title).toBe('a'.repeat(255));
    });

    it('description of 10,000 characters is accepted, 10,001 refused', async () => {
      const ok = await api.post<TaskBody>(tasks, { title: 'd', description: 'x'.repeat(10_000) });
      expect(ok.status).toBe(201);
      expect(ok.body.description).toHaveLength(10_000);
      const emoji = await api.post<TaskBody>(tasks, {
        title: 'd',
        description: '😀'.repeat(10_000),
      });
      expect(emoji.status).toBe(201);
      const long = await api.post(tasks, { title: 'd', description: 'x'.repeat(10_001) });
      expectFieldError(long, 'description');
      expect(long.body.detail).toBe('description: at most 10000 characters');
      expectFieldError(await api.put(taskPath, { description: 'x'.repeat(10_001) }), 'description');
    });
  });

  describe('refused bodies', () => {
    it('NUL in title or description', async () => {
      expectFieldError(await api.post(tasks, { title: 'a\u0000b' }), 'title');
      expectFieldError(
        await api.post(tasks, { title: 'ok', description: '\u0000' }),
        'description',
      );
      expectFieldError(await api.patch(taskPath, { title: '\u0000' }), 'title');
      expectFieldError(await api.patch(taskPath, { description: 'x\u0000' }), 'description');
    });

    it('empty and whitespace-only titles', async () => {
      for (const title of ['', ' ', '\t\n ', '\u00a0', '\u3000', '\u2003\u2009']) {
        for (const res of [await api.post(tasks, { title }), await api.put(taskPath, { title })]) {
          expectFieldError(res, 'title');
          expect(res.body.detail).toBe('title: must not be blank');
        }
      }
    });

    it('a missing title on create: "is required", not a type error', async () => {
      for (const body of [{ description: 'x' }, {}]) {
        const res = await api.post(tasks, body);
        expectFieldError(res, 'title');
        expect(res.body.detail).toBe('title: is required');
        expect(res.body.details.fields).toEqual({ title: ['is required'] });
      }
    });

    it('unknown fields, and the fields the server owns', async () => {
      for (const field of [
        'id',
        'user_id',
        'created_at',
        'updated_at',
        'owner',
        'Title',
        'completed_at',
      ]) {
        const value = field === 'id' ? randomUUID() : 'x';
        expectFieldError(await api.post(tasks, { title: 'x', [field]: value }), field);
        expectFieldError(await api.patch(taskPath, { title: 'x', [field]: value }), field);
        expectFieldError(await api.put(taskPath, { [field]: value }), field);
        expectFieldError(await api.patch(`${taskPath}/complete`, { [field]: value }), field);
      }
    });

    it('wrong types', async () => {
      const cases: [string, unknown][] = [
        ['completed', 'true'],
        ['completed', 1],
        ['completed', 0],
        ['completed', null],
        ['completed', {}],
        ['title', 123],
        ['title', true],
        ['title', null],
        ['title', ['x']],
        ['title', { x: 1 }],
        ['description', 5],
        ['description', ['x']],
        ['description', false],
      ];
      for (const [field, value] of cases) {
        const create = await api.post(tasks, { title: 'x', [field]: value });
        expectFieldError(create, field);
        const update = await api.patch(taskPath, { [field]: value });
        expectFieldError(update, field);
      }
      expectFieldError(await api.patch(`${taskPath}/complete`, { completed: 'true' }), 'completed');
      expectFieldError(await api.patch(`${taskPath}/complete`, { completed: null }), 'completed');
      // the target task was not changed by any of it
      expect((await api.get<TaskBody>(taskPath)).body).toMatchObject({
        title: 'target',
        completed: false,
      });
    });

    it('bodies that are not a JSON object', async () => {
      for (const body of ['[]', '[{"title":"x"}]', 'null', '"title"', '42', 'true']) {
        for (const [method, path] of [
          ['POST', tasks],
          ['PUT', taskPath],
          ['PATCH', taskPath],
          ['PATCH', `${taskPath}/complete`],
        ]) {
          const res = await api.request(method, path, {
            body,
            headers: { 'content-type': 'application/json' },
          });
          expect({ method, path, body, status: res.status, code: res.body.code }).toEqual({
            method,
            path,
            body,
            status: 400,
            code: 'VALIDATION_ERROR',
          });
        }
      }
    });

    it('__proto__ and constructor keys: an unknown field, named (no prototype pollution)', async () => {
      for (const [body, field] of [
        ['{"title":"x","__proto__":{"admin":true}}', '__proto__'],
        ['{"title":"x","constructor":{"prototype":{"admin":true}}}', 'constructor'],
        ['{"__proto__":{"title":"x"}}', '__proto__'],
        ['{"title":"x","constructor":1}', 'constructor'],
      ]) {
        const res = await api.request('POST', tasks, {
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_ERROR',
        });
        expect(Object.keys(res.body.details.fields)).toContain(field);
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('thousands of unknown keys: a small answer naming the first few and counting all', async () => {
      const keys = Array.from({ length: 6500 }, (_, i) => `k${i}`);
      const body = JSON.stringify({ title: 'x', ...Object.fromEntries(keys.map((k) => [k, 1])) });
      const res = await api.request('POST', tasks, {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details.unknown_fields).toBe(6500);
      expect(Object.keys(res.body.details.fields)).toEqual(keys.slice(0, 10));
      expect(res.text.length).toBeLessThan(2000);
      const long = await api.post(tasks, { title: 'x', ['y'.repeat(60_000)]: 1 });
      expect(Object.keys(long.body.details.fields)).toEqual([`${'y'.repeat(64)}…`]);
      expect(long.text.length).toBeLessThan(1000);
    });

    it('control characters: refused in titles (C0, DEL), in descriptions but for tab, LF, CR', async () => {
      for (const control of ['\u0000', '\u0001', '\u0008', '\u000b', '\u001f', '\u007f']) {
        expectFieldError(await api.post(tasks, { title: `a${control}b` }), 'title');
        expectFieldError(
          await api.post(tasks, { title: 'x', description: `a${control}` }),
          'description',
        );
        expectFieldError(await api.patch(taskPath, { title: `a${control}b` }), 'title');
        expectFieldError(await api.put(taskPath, { description: `${control}` }), 'description');
      }
      for (const control of ['\t', '\n', '\r']) {
        expectFieldError(await api.post(tasks, { title: `a${control}b` }), 'title');
      }
      const lines = await api.post<TaskBody>(tasks, { title: ' x\n', description: 'a\tb\r\nc' });
      expect(lines.status).toBe(201);
      expect(lines.body).toMatchObject({ title: 'x', description: 'a\tb\r\nc' });
    });

    it('deeply nested JSON: 400, not a stack overflow', async () => {
      for (const depth of [17, 5000]) {
        const body = `{"title":"x","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const res = await api.request('POST', tasks, {
          body,
          headers: { 'content-type': 'application/json' },
        });
        expect({ depth, status: res.status }).toEqual({ depth, status: 400 });
        expect(res.body.code).toBe('VALIDATION_ERROR');
        expect(res.body.details.fields).toHaveProperty('body');
      }
    });

    it('invalid UTF-8 bytes: 400 MALFORMED_JSON', async () => {
      const res = await api.request('POST', tasks, {
        body: Buffer.from([...Buffer.from('{"title":"a'), 0xff, 0xfe, ...Buffer.from('b"}')]),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('MALFORMED_JSON');
    });

    it('a lone surrogate (\\ud800) cannot be stored as sent: 400, not silently U+FFFD', async () => {
      for (const json of ['{"title":"a\\ud800b"}', '{"title":"x","description":"\\udc00"}']) {
        const res = await api.request('POST', tasks, {
          body: json,
          headers: { 'content-type': 'application/json' },
        });
        expect({ json, status: res.status }).toEqual({ json, status: 400 });
        expect(res.body.code).toBe('VALIDATION_ERROR');
      }
      const pair = await api.request<TaskBody>('POST', tasks, {
        body: '{"title":"\\ud83d\\ude00"}',
        headers: { 'content-type': 'application/json' },
      });
      expect(pair.status).toBe(201);
      expect(pair.body.title).toBe('😀');
    });

    it('duplicate keys: the last one wins, as in JSON.parse; huge numbers are not booleans', async () => {
      const dup = await api.request<TaskBody>('POST', tasks, {
        body: '{"title":"first","title":"second"}',
        headers: { 'content-type': 'application/json' },
      });
      expect(dup.status).toBe(201);
      expect(dup.body.title).toBe('second');
      const big = await api.request('POST', tasks, {
        body: '{"title":"x","completed":1e400}',
        headers: { 'content-type': 'application/json' },
      });
      expect(big.status).toBe(400);
    });
  });

  describe('list parameters', () => {
    it.each([
      ['limit', ['0', '501', 'abc', '1.5', '-1', '', '1e2', ' 5', '0x10', '5 ', '１']],
      ['completed', ['yes', '1', 'TRUE', '', 'null']],
      ['order', ['DESC', 'up', '', 'asc;']],
      [
        'cursor',
        [
          'garbage!',
          'AAAA',
          '',
          'x'.repeat(97),
          Buffer.from('123.not-a-uuid').toString('base64url'),
          Buffer.from(`abc.${randomUUID()}`).toString('base64url'),
          Buffer.from(`9999999999999999.${randomUUID()}`).toString('base64url'),
          '%00',
        ],
      ],
    ])('refuses bad %s values', async (name, values) => {
      for (const value of values) {
        const res = await api.get(`${tasks}?${name}=${encodeURIComponent(value)}`);
        expect({ value, status: res.status, code: res.body.code }).toEqual({
          value,
          status: 400,
          code: 'VALIDATION_ERROR',
        });
        expect(Object.keys(res.body.details.fields)).toEqual([name]);
      }
    });

    it('refuses repeated parameters, and reports every bad one at once', async () => {
      const repeated = await api.get(`${tasks}?limit=1&limit=2`);
      expect(repeated.status).toBe(400);
      expect(repeated.body.detail).toBe('limit: must be given once');
      const several = await api.get(`${tasks}?limit=0&order=sideways&completed=maybe&cursor=!`);
      expect(several.status).toBe(400);
      expect(Object.keys(several.body.details.fields).sort()).toEqual(
        ['completed', 'cursor', 'limit', 'order'].sort(),
      );
    });

    it('accepts the bounds', async () => {
      expect((await api.get(`${tasks}?limit=1`)).status).toBe(200);
      expect((await api.get(`${tasks}?limit=500`)).status).toBe(200);
      expect((await api.get(`${tasks}?limit=007`)).status).toBe(200);
    });

    it('refuses unknown parameters like unknown body fields, naming them', async () => {
      const res = await api.get(`${tasks}?_=12345&limit=5&foo=bar`);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      expect(res.body.detail).toBe('_: is not an accepted field (and 1 more)');
      expect(res.body.details.fields).toEqual({
        _: ['is not an accepted field'],
        foo: ['is not an accepted field'],
      });
    });

    it('accepts a well-formed cursor for a row that does not exist (keyset: it is a position)', async () => {
      const cursor = Buffer.from(`${Date.now()}.${randomUUID()}`).toString('base64url');
      const res = await api.get(`${tasks}?cursor=${cursor}`);
      expect(res.status).toBe(200);
    });
  });

  describe('odd paths and ids', () => {
    it.each([
      ['not a uuid', 'abc'],
      ['uuid with braces', `{${randomUUID()}}`],
      ['uuid without dashes', randomUUID().replace(/-/g, '')],
      ['uuid too long', `${randomUUID()}0`],
      ['SQL', "1' OR '1'='1"],
      ['NUL', '%00'],
      ['unicode', '%C3%BC'],
    ])('task id: %s → 400 INVALID_UUID', async (_, id) => {
      const res = await api.get(`${tasks}/${id}`);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 400,
        code: 'INVALID_UUID',
      });
    });

    it('a dotted path does not escape the route', async () => {
      const res = await api.get(`${tasks}/../../../health`);
      // fetch normalizes the dots away before sending; the server answers whatever it routes to
      expect(res.status).toBeLessThan(500);
      const raw = await api.get(`${tasks}/%2e%2e%2f%2e%2e%2fhealth`);
      expect(raw.status).toBe(400);
    });
  });
});
