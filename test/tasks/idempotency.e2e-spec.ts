import { Client } from 'pg';
import type { Task } from '../../src/tasks/task.entity';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, NO_RATE_LIMIT, type TestDatabase } from '../support/test-database';

const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });
const stored = async (app: TestApp, userId: string) =>
  (
    await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [
      userId,
    ])
  )[0].n;

/**
 * Idempotent retries (IETF draft-ietf-httpapi-idempotency-key-header): a create or toggle retried
 * after a lost answer happens once. Every rule of the contract's "Idempotent retries", over HTTP.
 */
describe('Idempotency-Key', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a repeated keyed create answers the first 201 again (Idempotent-Replayed) and creates nothing', async () => {
    const { api, tasks, userId } = await app.newUser();
    const first = await api.post<Task>(tasks, { title: 'once' }, keyed('create-1'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await api.post<Task>(tasks, { title: 'once' }, keyed('create-1'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await stored(app, userId)).toBe(1);
    // Without a key, or with another, each create is a create.
    expect((await api.post(tasks, { title: 'once' })).status).toBe(201);
    expect((await api.post(tasks, { title: 'once' }, keyed('create-2'))).status).toBe(201);
    expect(await stored(app, userId)).toBe(3);
  });

  it('the same key with another body or path is 422 IDEMPOTENCY_KEY_MISMATCH and changes nothing', async () => {
    const { api, tasks, userId } = await app.newUser();
    const first = await api.post<Task>(tasks, { title: 'a' }, keyed('k'));
    const other = await api.post(tasks, { title: 'b' }, keyed('k'));
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISMATCH' });
    const path = `${tasks}/${first.body.id}/complete`;
    expect((await api.patch(path, undefined, keyed('k'))).status).toBe(422);
    expect((await api.get<Task>(`${tasks}/${first.body.id}`)).body.completed).toBe(false);
    expect(await stored(app, userId)).toBe(1);
  });

  it('a retried toggle toggles once', async () => {
    const { api, tasks } = await app.newUser();
    const task = (await api.post<Task>(tasks, { title: 't' })).body;
    const path = `${tasks}/${task.id}/complete`;
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await api.patch<Task>(path, undefined, keyed('toggle')));
    expect(answers.map((res) => [res.status, res.body.completed])).toEqual([
      [200, true],
      [200, true],
      [200, true],
    ]);
    expect((await api.get<Task>(`${tasks}/${task.id}`)).body.completed).toBe(true);
    expect((await api.patch<Task>(path, undefined, keyed('toggle-2'))).body.completed).toBe(false);
  });

  it('keys of different users never meet', async () => {
    const alice = await app.newUser();
    const bob = await app.newUser();
    const a = await alice.api.post<Task>(alice.tasks, { title: 'same' }, keyed('shared'));
    const b = await bob.api.post<Task>(bob.tasks, { title: 'same' }, keyed('shared'));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.user_id).toBe(bob.userId);
    expect(await stored(app, bob.userId)).toBe(1);
  });

  it('20 concurrent identical keyed creates make one task; every answer is that task or 409 IN_USE', async () => {
    const { api, tasks, userId } = await app.newUser();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.post<Task>(tasks, { title: 'burst' }, keyed('burst'))),
    );
    expect(await stored(app, userId)).toBe(1);
    const created = answers.filter((res) => res.status === 201);
    expect(created.filter((res) => !res.headers.get('idempotent-replayed'))).toHaveLength(1);
    expect(new Set(created.map((res) => res.body.id)).size).toBe(1);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expect(res.status).toBe(409);
      expect(res.headers.get('retry-after')).toBe('1');
    }
  });

  it('while the first request with the key is running: 409 IDEMPOTENCY_KEY_IN_USE with Retry-After', async () => {
    const { api, tasks, userId } = await app.newUser();
    const first = new Client({ connectionString: app.db.url });
    await first.connect();
    try {
      await first.query('BEGIN');
      await first.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, expires_at) VALUES ($1, 'busy', 'x', now() + interval '1 hour')`,
        [userId],
      );
      const res = await api.post(tasks, { title: 'x' }, keyed('busy'));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
      expect(res.headers.get('retry-after')).toBe('1');
      await first.query('ROLLBACK');
    } finally {
      await first.end();
    }
    expect((await api.post(tasks, { title: 'x' }, keyed('busy'))).status).toBe(201);
    expect(await stored(app, userId)).toBe(1);
  });

  it('a malformed key is 400 VALIDATION_ERROR; a refused request is not remembered', async () => {
    const { api, tasks, userId } = await app.newUser();
    for (const key of ['', 'a'.repeat(256), 'caf\u00e9']) {
      const res = await api.post(tasks, { title: 'x' }, keyed(key));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_ERROR',
        detail: 'Idempotency-Key: must be 1 to 255 printable ASCII characters',
      });
    }
    expect((await api.post(tasks, { title: '' }, keyed('k'.repeat(255)))).status).toBe(400);
    expect((await api.post(tasks, { title: 'ok' }, keyed('k'.repeat(255)))).status).toBe(201);
    expect(await stored(app, userId)).toBe(1);
  });
});

describe('Idempotency-Key across a restart, expiry and the per-user bound', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  const start = (env: Record<string, string> = {}) =>
    startTestApp({ database: db, env: { ...NO_RATE_LIMIT, ...env } });

  it('replays the answer after the service restarted', async () => {
    const before = await start();
    const user = await before.newUser();
    const first = await user.api.post<Task>(user.tasks, { title: 'before' }, keyed('r'));
    await before.close();
    const after = await start();
    try {
      const api = after.http.withToken(user.api.token);
      const again = await api.post<Task>(user.tasks, { title: 'before' }, keyed('r'));
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    } finally {
      await after.close();
    }
  });

  it('an expired key is a new key, and expired keys are purged; a user keeps at most the bound', async () => {
    const app = await start({ IDEMPOTENCY_KEY_TTL_S: '1', IDEMPOTENCY_KEYS_PER_USER_MAX: '3' });
    try {
      const { api, tasks, userId } = await app.newUser();
      const first = await api.post<Task>(tasks, { title: 'a' }, keyed('e'));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const later = await api.post<Task>(tasks, { title: 'b' }, keyed('e'));
      expect(later.status).toBe(201);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.body.id).not.toBe(first.body.id);

      for (let i = 0; i < 5; i++) await api.post(tasks, { title: `n${i}` }, keyed(`n${i}`));
      const keys = await db.query<{ key: string }>(
        'SELECT key FROM idempotency_keys WHERE user_id = $1 ORDER BY key',
        [userId],
      );
      expect(keys.map((k) => k.key)).toEqual(['n2', 'n3', 'n4']);

      const deadline = Date.now() + 10_000;
      let left = keys.length;
      while (left > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        left = (await db.query('SELECT 1 FROM idempotency_keys WHERE user_id = $1', [userId]))
          .length;
      }
      expect(left).toBe(0);
    } finally {
      await app.close();
    }
  });
});
