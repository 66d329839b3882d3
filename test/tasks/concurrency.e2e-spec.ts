import type { Task as TaskBody } from '../../src/tasks/task.entity';
import type { HttpClient } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { NO_RATE_LIMIT } from '../support/test-database';

/** Reads every page of a listing, calling `between` after each page (to change the data). */
async function walk(
  api: HttpClient,
  firstPage: string,
  between: () => Promise<void>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | null = firstPage;
  let pages = 0;
  while (next) {
    const res: { status: number; body: TaskBody[]; headers: Headers } =
      await api.get<TaskBody[]>(next);
    expect(res.status).toBe(200);
    ids.push(...res.body.map((t) => t.id));
    pages++;
    const link = res.headers.get('link');
    next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
    if (next)
      expect(new URL(next, 'http://x').searchParams.get('cursor')).toBe(
        res.headers.get('x-next-cursor'),
      );
    expect(pages).toBeLessThan(200);
    await between();
  }
  return { ids, pages };
}

function counts(ids: string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return seen;
}

describe('concurrency over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: NO_RATE_LIMIT });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('pagination while rows are inserted', () => {
    const EXISTING = 300;

    it.each(['desc', 'asc'])(
      'order=%s: every row that existed at the start is seen exactly once, none twice',
      async (order) => {
        const { api, tasks, userId } = await app.newUser();
        // Many rows share a created_at millisecond, so the id tie-break is exercised too.
        const initial = await app.db.query<{ id: string }>(
          `INSERT INTO tasks (user_id, title, created_at)
           SELECT $1, 'seed ' || i, now() - ((i / 10) * interval '1 millisecond')
           FROM generate_series(1, $2) AS i RETURNING id`,
          [userId, EXISTING],
        );
        expect(initial).toHaveLength(EXISTING);
        const inserted: string[] = [];
        let stop = false;
        // A writer inserting through the API for as long as the walk runs…
        const writer = (async () => {
          while (!stop) {
            const res = await api.post<TaskBody>(tasks, { title: 'during the walk' });
            expect(res.status).toBe(201);
            inserted.push(res.body.id);
          }
        })();
        // …and a few more inserted between pages, so every page boundary sees new rows.
        const { ids, pages } = await walk(api, `${tasks}?limit=17&order=${order}`, async () => {
          await Promise.all([1, 2, 3].map(() => api.post(tasks, { title: 'between pages' })));
        });
        stop = true;
        await writer;
        expect(pages).toBeGreaterThanOrEqual(Math.ceil(EXISTING / 17));
        const seen = counts(ids);
        const duplicates = [...seen].filter(([, n]) => n > 1);
        expect(duplicates).toEqual([]);
        const missing = initial.filter((row) => seen.get(row.id) !== 1);
        expect(missing).toEqual([]);
        expect(inserted.length).toBeGreaterThan(0);
        // the order is the documented one: created_at, then id, in the requested direction
        const rows = await app.db.query<{ id: string }>(
          `SELECT id FROM tasks WHERE id = ANY($1::uuid[])
           ORDER BY created_at ${order}, id ${order}`,
          [ids],
        );
        expect(rows.map((r) => r.id)).toEqual(ids);
      },
    );

    it('filters stay applied across pages', async () => {
      const { api, tasks, userId } = await app.newUser();
      await app.db.query(
        `INSERT INTO tasks (user_id, title, completed)
         SELECT $1, 'seed ' || i, i % 3 = 0 FROM generate_series(1, 100) AS i`,
        [userId],
      );
      const { ids } = await walk(api, `${tasks}?limit=7&completed=true`, async () => {
        await api.post(tasks, { title: 'new', completed: true });
      });
      expect(new Set(ids).size).toBe(ids.length);
      const completed = await app.db.query<{ id: string }>(
        'SELECT id FROM tasks WHERE user_id = $1 AND completed AND id = ANY($2::uuid[])',
        [userId, ids],
      );
      expect(completed).toHaveLength(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(33);
    });
  });

  describe('one task, many writers', () => {
    it('20 concurrent PATCHes and a DELETE: only 200/204/404, and a consistent end', async () => {
      const { api, tasks } = await app.newUser();
      for (let round = 0; round < 3; round++) {
        const task = (await api.post<TaskBody>(tasks, { title: 'contested' })).body;
        const path = `${tasks}/${task.id}`;
        const patches = Array.from({ length: 20 }, (_, i) =>
          i % 4 === 3
            ? api.patch<TaskBody>(`${path}/complete`)
            : api.patch<TaskBody>(path, { title: `writer ${i}`, completed: i % 2 === 0 }),
        );
        const del = api.delete(path);
        const results = await Promise.all([...patches, del]);
        const statuses = results.map((r) => r.status);
        for (const status of statuses.slice(0, 20)) expect([200, 404]).toContain(status);
        expect(statuses[20]).toBe(204);
        // After the DELETE answered, the task is gone for good.
        expect((await api.get(path)).status).toBe(404);
        expect((await api.patch(path, { title: 'late' })).status).toBe(404);
        expect((await api.get<TaskBody[]>(tasks)).body.map((t) => t.id)).not.toContain(task.id);
        const rows = await app.db.query('SELECT 1 FROM tasks WHERE id = $1', [task.id]);
        expect(rows).toHaveLength(0);
      }
    });

    it('20 concurrent PATCHes: the final state is exactly one of the answers', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'start' })).body;
      const path = `${tasks}/${task.id}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.patch<TaskBody>(path, { title: `writer ${i}`, description: `by ${i}` }),
        ),
      );
      for (const res of results) {
        expect(res.status).toBe(200);
        // each answer is internally consistent: the title and description of one writer
        expect(res.body.description).toBe(res.body.title.replace('writer', 'by'));
      }
      // The row ends as exactly one writer's answer (not a mix of two). Which one is not
      // "the latest updated_at": the trigger stamps now(), the statement's start, and a writer
      // that waited for the row lock commits after a later-starting one.
      const final = (await api.get<TaskBody>(path)).body;
      expect(results.map((r) => r.body)).toContainEqual(final);
      expect(final.created_at).toBe(task.created_at);
    });

    it('20 concurrent toggles are serialized: 10 answers say true, 10 false, the end is unchanged', async () => {
      const { api, tasks } = await app.newUser();
      const task = (await api.post<TaskBody>(tasks, { title: 'toggle me' })).body;
      const results = await Promise.all(
        Array.from({ length: 20 }, () => api.patch<TaskBody>(`${tasks}/${task.id}/complete`)),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(results.filter((r) => r.body.completed).length).toBe(10);
      expect((await api.get<TaskBody>(`${tasks}/${task.id}`)).body.completed).toBe(false);
    });

    it('50 concurrent creates: 50 distinct tasks, all listed', async () => {
      const { api, tasks } = await app.newUser();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => api.post<TaskBody>(tasks, { title: `c${i}` })),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(50);
      const listed = await api.get<TaskBody[]>(`${tasks}?limit=500`);
      expect(new Set(listed.body.map((t) => t.id))).toEqual(ids);
    });
  });
});
