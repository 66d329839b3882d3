import { InvalidInputError } from '../../src/core/database/pg-errors';
import type { Task } from '../../src/tasks/task.entity';
import {
  decodeCursor,
  encodeCursor,
  type PageRequest,
  type SortOrder,
} from '../../src/core/paging/keyset';
import { TasksService } from '../../src/tasks/tasks.service';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const OWNER = { id: 'pager' };
const MAX_BYTES = 1 << 20;
/** A page request as the controller makes it: newest first unless told, the default budget. */
const page = (limit: number, order: SortOrder = 'desc'): PageRequest => ({
  limit,
  order,
  maxBytes: MAX_BYTES,
});
const TOTAL = 250;

describe('listing: filters and keyset pagination', () => {
  let db: TestDatabase;
  let app: TestApp;
  let service: TasksService;

  beforeAll(async () => {
    db = await createTestDatabase();
    // 250 tasks in runs of five sharing one created_at (so the id must break ties), every third
    // completed, plus another user's tasks at the very same instants, which must never show.
    await db.query(
      `INSERT INTO tasks (user_id, title, completed, created_at)
       SELECT u, 'task ' || i, i % 3 = 0,
              timestamptz '2026-01-01T00:00:00Z' + (i / 5) * interval '1 second'
         FROM generate_series(1, $1::int) AS i, unnest(ARRAY[$2, 'someone-else']) AS u`,
      [TOTAL, OWNER.id],
    );
    app = await startTestApp({ database: db });
    service = app.get(TasksService);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** Every id of the owner in the order the API promises, straight from SQL. */
  async function expectedIds(order: SortOrder, completed?: boolean): Promise<string[]> {
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM tasks WHERE user_id = $1 AND ($2::boolean IS NULL OR completed = $2)
        ORDER BY created_at ${dir}, id ${dir}`,
      [OWNER.id, completed ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** Walks pages the way a client does: through the opaque cursor string. */
  async function walk(options: {
    limit: number;
    order: SortOrder;
    completed?: boolean;
  }): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const request = { ...page(options.limit, options.order), after };
      const result = await service.list(OWNER, request, options.completed);
      pages++;
      expect(result.rows.length).toBeLessThanOrEqual(options.limit);
      ids.push(...result.rows.map((t: Task) => t.id));
      cursor = result.next ? encodeCursor(result.next) : undefined;
      if (cursor) expect(result.rows).toHaveLength(options.limit);
    } while (cursor && pages < 1000);
    return { ids, pages };
  }

  it.each([['desc'], ['asc']] as const)(
    'returns every row exactly once, in %s order, in pages of 7',
    async (order) => {
      const { ids, pages } = await walk({ limit: 7, order });
      expect(ids).toHaveLength(TOTAL);
      expect(new Set(ids).size).toBe(TOTAL);
      expect(ids).toEqual(await expectedIds(order));
      expect(pages).toBe(Math.ceil(TOTAL / 7));
    },
  );

  it.each([
    ['desc', true],
    ['asc', false],
  ] as const)(
    'walks %s with completed=%s, only matching rows, each once',
    async (order, completed) => {
      const { ids } = await walk({ limit: 7, order, completed });
      const expected = await expectedIds(order, completed);
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
      const rows = await db.query<{ completed: boolean }>(
        'SELECT DISTINCT completed FROM tasks WHERE id = ANY($1::uuid[])',
        [ids],
      );
      expect(rows).toEqual([{ completed }]);
    },
  );

  it('defaults to newest first', async () => {
    const first = await service.list(OWNER, page(3));
    expect(first.rows.map((t) => t.id)).toEqual((await expectedIds('desc')).slice(0, 3));
  });

  it('has no next cursor when the page holds the last row', async () => {
    const exact = await service.list(OWNER, page(TOTAL));
    expect(exact.rows).toHaveLength(TOTAL);
    expect(exact.next).toBeNull();
    const more = await service.list(OWNER, page(TOTAL - 1));
    expect(more.next).not.toBeNull();
  });

  it('returns an empty page for a user with no tasks', async () => {
    expect(await service.list({ id: 'nobody' }, page(10))).toEqual({ rows: [], next: null });
  });

  it.each([0, -1, 1.5, 501, Number.NaN])('refuses limit %p', async (limit) => {
    await expect(service.list(OWNER, page(limit))).rejects.toThrow(
      new InvalidInputError('limit must be an integer from 1 to 500', 'limit'),
    );
  });

  it('accepts the largest page, 500', async () => {
    const all = await service.list(OWNER, page(500));
    expect(all.rows).toHaveLength(TOTAL);
    expect(all.next).toBeNull();
  });

  it('refuses a cursor that does not decode', () => {
    for (const bad of ['', 'not base64!', Buffer.from('123.not-a-uuid').toString('base64url')]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });
});
