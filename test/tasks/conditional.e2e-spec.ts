import type { Task } from '../../src/tasks/task.entity';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

const STRONG = /^"[0-9a-z]+"$/;

/**
 * Conditional requests (RFC 9110 section 13): two tabs editing one task cannot overwrite each
 * other silently. Every rule of the contract's "Conditional requests", over HTTP.
 */
describe('conditional requests: ETag, If-Match, If-None-Match', () => {
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
    user = await app.newUser();
  });

  afterAll(async () => {
    await app?.close();
  });

  const create = async (u: TestUser = user) => {
    const res = await u.api.post<Task>(u.tasks, { title: 'shared' });
    expect(res.status).toBe(201);
    return { task: res.body, path: `${u.tasks}/${res.body.id}`, etag: res.headers.get('etag')! };
  };
  const ifMatch = (tag: string) => ({ headers: { 'if-match': tag } });

  it('every answer with one task has a strong ETag that changes with every write', async () => {
    const { path, etag } = await create();
    expect(etag).toMatch(STRONG);
    expect((await user.api.get(path)).headers.get('etag')).toBe(etag);
    const writes = [
      () => user.api.put<Task>(path, { title: 'a' }),
      () => user.api.patch<Task>(path, { title: 'b' }),
      () => user.api.patch<Task>(`${path}/complete`),
      () => user.api.patch<Task>(`${path}/complete`, { completed: true }),
    ];
    const tags = [etag];
    for (const write of writes) {
      const res = await write();
      expect(res.status).toBe(200);
      tags.push(res.headers.get('etag')!);
      expect((await user.api.get(path)).headers.get('etag')).toBe(tags.at(-1));
    }
    for (let i = 0; i < 10; i++)
      tags.push((await user.api.patch(path, { title: `t${i}` })).headers.get('etag')!);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('If-Match: the current tag (or *, or a list holding it) writes; a stale, weak or foreign tag is 412 and changes nothing', async () => {
    const { path, etag } = await create();
    const updated = await user.api.put<Task>(path, { title: 'tab A' }, ifMatch(etag));
    expect(updated.status).toBe(200);
    const stale = await user.api.put(path, { title: 'tab B' }, ifMatch(etag));
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(stale.body.detail).toMatch(/reload/);
    const current = updated.headers.get('etag')!;
    for (const tag of [`W/${current}`, '"zz"', 'garbage', '"zzzzzzzzzzzz"', '""']) {
      expect((await user.api.patch(path, { title: 'x' }, ifMatch(tag))).status).toBe(412);
      expect((await user.api.patch(`${path}/complete`, undefined, ifMatch(tag))).status).toBe(412);
      expect((await user.api.delete(path, ifMatch(tag))).status).toBe(412);
    }
    expect((await user.api.get<Task>(path)).body).toMatchObject({
      title: 'tab A',
      completed: false,
    });

    const listed = await user.api.patch<Task>(
      path,
      { title: 'both' },
      ifMatch(`"x", ${etag}, ${current}`),
    );
    expect(listed.status).toBe(200);
    const star = await user.api.patch<Task>(`${path}/complete`, undefined, ifMatch('*'));
    expect(star.status).toBe(200);
    expect(star.body.completed).toBe(true);
    expect((await user.api.delete(path, ifMatch(listed.headers.get('etag')!))).status).toBe(412);
    expect((await user.api.delete(path, ifMatch(star.headers.get('etag')!))).status).toBe(204);
  });

  it('a missing or foreign task is 404 whatever the If-Match, never 412', async () => {
    const { path, etag } = await create();
    const other = await app.newUser();
    const theirs = path.replace(user.userId, other.userId);
    for (const tag of [etag, '*', '"zz"']) {
      expect((await other.api.put(theirs, { title: 'x' }, ifMatch(tag))).status).toBe(404);
      expect((await other.api.delete(theirs, ifMatch(tag))).status).toBe(404);
    }
    await user.api.delete(path);
    expect((await user.api.patch(`${path}/complete`, undefined, ifMatch(etag))).status).toBe(404);
    expect((await user.api.put(path, { title: 'x' }, ifMatch('*'))).status).toBe(404);
  });

  it('10 concurrent writers with one tag: exactly one 200, nine 412', async () => {
    const { path, etag } = await create();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? user.api.put<Task>(path, { title: `writer ${i}` }, ifMatch(etag))
          : user.api.patch<Task>(`${path}/complete`, undefined, ifMatch(etag)),
      ),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(9).fill(412)]);
    const winner = answers.find((res) => res.status === 200)!;
    expect((await user.api.get<Task>(path)).body).toEqual(winner.body);
  });

  it('If-None-Match on GET one: 304 with the ETag and no body while current, 200 after a change', async () => {
    const { path, etag } = await create();
    const same = await user.api.get(path, { headers: { 'if-none-match': `"x", W/${etag}` } });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect(same.text).toBe('');
    expect((await user.api.get(path, { headers: { 'if-none-match': '*' } })).status).toBe(304);
    await user.api.patch(path, { title: 'changed' });
    const changed = await user.api.get<Task>(path, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe('changed');
  });

  it('a list page has a weak ETag: 304 while the page is the same, 200 after any change on it', async () => {
    const u = await app.newUser();
    await create(u);
    const { path } = await create(u);
    const page = `${u.tasks}?limit=1`;
    const first = await u.api.get<Task[]>(page);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const same = await u.api.get(page, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect(same.text).toBe('');
    // Another page (or the same rows with another continuation) has another tag.
    expect((await u.api.get(`${u.tasks}?limit=2`)).headers.get('etag')).not.toBe(etag);
    await u.api.patch(path, { title: 'edited elsewhere' });
    const after = await u.api.get<Task[]>(page, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('writes without If-Match work when it is not required', async () => {
    const { path } = await create();
    expect((await user.api.put(path, { title: 'no tag' })).status).toBe(200);
    expect((await user.api.delete(path)).status).toBe(204);
  });
});

describe('REQUIRE_IF_MATCH=true', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...NO_RATE_LIMIT, REQUIRE_IF_MATCH: 'true' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a write without If-Match is 428 and changes nothing; reads and creates need none', async () => {
    const { api, tasks } = await app.newUser();
    const created = await api.post<Task>(tasks, { title: 'strict' });
    expect(created.status).toBe(201);
    const path = `${tasks}/${created.body.id}`;
    for (const res of [
      await api.put(path, { title: 'x' }),
      await api.patch(`${path}/complete`),
      await api.delete(path),
    ]) {
      expect(res.status).toBe(428);
      expect(res.body).toMatchObject({ code: 'PRECONDITION_REQUIRED' });
    }
    expect((await api.get<Task>(path)).body).toEqual(created.body);
    const tag = created.headers.get('etag')!;
    expect((await api.put(path, { title: 'x' }, { headers: { 'if-match': tag } })).status).toBe(
      200,
    );
    expect((await api.delete(path, { headers: { 'if-match': '*' } })).status).toBe(204);
  });
});
