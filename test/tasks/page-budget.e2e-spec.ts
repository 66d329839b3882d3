import { readFileSync } from 'node:fs';
import type { Task } from '../../src/tasks/task.entity';
import { PAGE_BYTES_DEFAULT } from '../../src/core/paging/paging.module';
import { type BuiltApp, startBuiltApp } from '../support/built-app';
import type { HttpClient, HttpResponse } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, NO_RATE_LIMIT, type TestDatabase } from '../support/test-database';

/**
 * Issue 12, finding 1: 500 tasks whose text is all U+0001 (each stored byte comes back as the
 * 6-byte escape `\u0001`) made one `?limit=500` page 30 MB of JSON, and 7–8 such pages at once
 * ran a 512 MiB pod out of heap. The API now refuses control characters, but rows stored before
 * that rule (or by another path) are still there, so the worst case is seeded straight into the
 * table: the page byte budget must hold for them too.
 */
const HEAVY = 'heavy-user';
const CALM = 'calm-user';
const ROWS = 500;
/** The pod's memory limit (deploy/kubernetes/deployment.yaml) and a heap cap inside it. */
const POD_LIMIT_BYTES = 512 * 1024 * 1024;
const HEAP_MB = 384;

/** Resident memory high-water mark of a process, from /proc (Linux). */
function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('list pages under hostile data (built app, heap capped like a 512 MiB pod)', () => {
  let db: TestDatabase;
  let app: BuiltApp;
  let heavy: HttpClient;
  let calm: HttpClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Worst case per row: a 255-character title and a 10,000-character description, all U+0001.
    await db.query(
      `INSERT INTO tasks (user_id, title, description, created_at)
       SELECT $1, repeat(chr(1), 255), repeat(chr(1), 10000),
              now() - make_interval(secs => g / 1000.0)
       FROM generate_series(1, $2) AS g`,
      [HEAVY, ROWS],
    );
    await db.query(`INSERT INTO tasks (user_id, title) VALUES ($1, 'calm')`, [CALM]);
    app = await startBuiltApp({
      DATABASE_URL: db.url,
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}`,
    });
    heavy = await app.http.asUser(HEAVY);
    calm = await app.http.asUser(CALM);
  }, 60_000);

  afterAll(async () => {
    await app?.kill();
    await db?.drop();
  });

  it('8 concurrent limit=500 pages: process alive, each page within the budget, others answered', async () => {
    const pageDone: number[] = [];
    const pages = Array.from({ length: 8 }, () =>
      heavy
        .get<Task[]>(`/api/${HEAVY}/tasks?limit=500`, { timeoutMs: 30_000 })
        .finally(() => pageDone.push(Date.now())),
    );
    // Another user's request while the eight are being served: answered in normal time.
    const started = Date.now();
    const other = await calm.get<Task[]>(`/api/${CALM}/tasks`, { timeoutMs: 30_000 });
    const otherDone = Date.now();
    const otherMs = otherDone - started;
    const answered = await Promise.all(pages);

    expect(other.status).toBe(200);
    expect(other.body).toHaveLength(1);
    for (const page of answered) {
      expect(page.status).toBe(200);
      expect(Buffer.byteLength(page.text)).toBeLessThanOrEqual(PAGE_BYTES_DEFAULT);
      expect(page.body.length).toBeGreaterThan(0);
      expect(page.body.length).toBeLessThan(ROWS);
      expect(page.headers.get('x-next-cursor')).toBeTruthy();
    }
    expect(app.child.exitCode).toBeNull();
    expect((await app.http.get('/health/live')).status).toBe(200);
    expect(peakRssBytes(app.child.pid!)).toBeLessThan(POD_LIMIT_BYTES);
    // Not queued behind the eight: answered before the last of them, whatever the machine's load
    // (a wall-clock bound of 1 s failed at 1.1-1.4 s on a loaded CI machine), and well inside
    // the 6 s database deadline the finding hit.
    expect(otherDone).toBeLessThan(Math.max(...pageDone));
    expect(otherMs).toBeLessThan(5000);
    process.stdout.write(
      `page-budget: other user ${otherMs} ms, page ${answered[0].body.length} tasks / ` +
        `${Buffer.byteLength(answered[0].text)} bytes, peak RSS ${Math.round(peakRssBytes(app.child.pid!) / 2 ** 20)} MiB\n`,
    );
  }, 60_000);
});

describe('following next links across pages cut by the byte budget', () => {
  const BUDGET = 64 * 1024;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...NO_RATE_LIMIT, LIST_PAGE_BYTES_MAX: String(BUDGET) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('gets every task exactly once, in order, each page within the budget', async () => {
    const { api, userId, tasks } = await app.newUser();
    // Rows whose JSON is close to their stored size (ASCII, emoji), twice it (quotes) and six
    // times it (control characters stored before the API refused them): the SQL lower bound
    // cuts some pages, the exact count on the JSON the others.
    const fills = ['x', '😀', '"', '\u0001', '\\'];
    await app.db.query(
      `INSERT INTO tasks (user_id, title, description, completed, created_at)
       SELECT $1, 't' || g, repeat(($2::text[])[1 + g % 5], (g * 997) % 10000),
              g % 3 = 0, now() - make_interval(secs => g / 100.0)
       FROM generate_series(1, 150) AS g`,
      [userId, fills],
    );
    for (const query of [
      'limit=500',
      'limit=7',
      'limit=500&order=asc',
      'limit=40&completed=false',
    ]) {
      const expected = (
        await app.db.query<{ id: string }>(
          `SELECT id FROM tasks WHERE user_id = $1 AND ($2::boolean IS NULL OR completed = $2)
           ORDER BY created_at ${query.includes('asc') ? 'ASC' : 'DESC'}, id`,
          [userId, query.includes('completed=false') ? false : null],
        )
      ).map((row) => row.id);
      const seen: string[] = [];
      let path: string | undefined = `${tasks}?${query}`;
      let pages = 0;
      while (path !== undefined && pages++ < 400) {
        const page: HttpResponse<Task[]> = await api.get<Task[]>(path);
        expect(page.status).toBe(200);
        expect(Buffer.byteLength(page.text)).toBeLessThanOrEqual(BUDGET);
        expect(page.body.length).toBeGreaterThan(0);
        seen.push(...page.body.map((task) => task.id));
        const link = page.headers.get('link');
        path = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : undefined;
      }
      expect({ query, seen }).toEqual({ query, seen: expected });
      expect(pages).toBeGreaterThan(Math.ceil(expected.length / 500));
    }
  });
});
