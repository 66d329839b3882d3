import type { Task } from '../../src/tasks/task.entity';
import { startTestApp, type TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

/**
 * Issue 12, finding 6: one user could store without bound (100 tasks of 39 KB in 0.6 s, ~34 GB
 * a day at the default rate limit). TASKS_PER_USER_MAX bounds it: a create beyond it is 409
 * QUOTA_EXCEEDED and stores nothing, also when the creates arrive together.
 */
describe('per-user task quota (TASKS_PER_USER_MAX)', () => {
  const MAX = 5;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...NO_RATE_LIMIT, TASKS_PER_USER_MAX: String(MAX) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const stored = async (userId: string) =>
    (
      await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [
        userId,
      ])
    )[0].n;

  it('20 concurrent creates by a new user: exactly 5 stored, the rest 409 QUOTA_EXCEEDED', async () => {
    const { api, userId, tasks } = await app.newUser();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.post<Task>(tasks, { title: `t${i}` })),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(201), ...Array<number>(15).fill(409)]);
    for (const refused of answers.filter((res) => res.status === 409)) {
      expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { max_tasks: MAX } });
    }
    expect(await stored(userId)).toBe(MAX);
  });

  it('a delete gives the place back; another user is not affected', async () => {
    const { api, userId, tasks } = await app.newUser();
    const created: Task[] = [];
    for (let i = 0; i < MAX; i++) created.push((await api.post<Task>(tasks, { title: 'x' })).body);
    expect((await api.post(tasks, { title: 'one too many' })).status).toBe(409);
    expect((await api.delete(`${tasks}/${created[0].id}`)).status).toBe(204);
    expect((await api.post(tasks, { title: 'fits again' })).status).toBe(201);
    expect((await api.post(tasks, { title: 'full again' })).status).toBe(409);
    expect(await stored(userId)).toBe(MAX);

    const other = await app.newUser();
    expect((await other.api.post(other.tasks, { title: 'mine' })).status).toBe(201);
  });

  it('a create that fails validation or at the database does not use up a place', async () => {
    const { api, userId, tasks } = await app.newUser();
    for (let i = 0; i < 10; i++)
      expect((await api.post(tasks, { title: '\u0001' })).status).toBe(400);
    // the database refuses a blank title (a check constraint) after the count went up in the
    // same statement: rolled back with it
    await expect(
      app.db.query(
        `WITH counted AS (INSERT INTO task_counts AS c (user_id, tasks) VALUES ($1, 1)
           ON CONFLICT (user_id) DO UPDATE SET tasks = c.tasks + 1 RETURNING 1)
         INSERT INTO tasks (user_id, title) SELECT $1, ' ' FROM counted`,
        [userId],
      ),
    ).rejects.toThrow(/tasks_title_not_blank/);
    for (let i = 0; i < MAX; i++) expect((await api.post(tasks, { title: 'ok' })).status).toBe(201);
    expect(await stored(userId)).toBe(MAX);
  });

  it('a delete by any path (psql too) gives its place back', async () => {
    const { api, userId, tasks } = await app.newUser();
    for (let i = 0; i < 3; i++) await api.post(tasks, { title: 'x' });
    await app.db.query('DELETE FROM tasks WHERE user_id = $1', [userId]);
    for (let i = 0; i < MAX; i++) expect((await api.post(tasks, { title: 'y' })).status).toBe(201);
    expect((await api.post(tasks, { title: 'z' })).status).toBe(409);
  });
});

describe('TASKS_PER_USER_MAX=0: no quota', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...NO_RATE_LIMIT, TASKS_PER_USER_MAX: '0' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates beyond any small number', async () => {
    const { api, tasks } = await app.newUser();
    for (let i = 0; i < 12; i++)
      expect((await api.post(tasks, { title: `t${i}` })).status).toBe(201);
  });
});
