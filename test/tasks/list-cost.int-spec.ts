import { SqlExecutor, Statement } from '../../src/core/database/sql-executor';
import type { PageRequest } from '../../src/core/paging/keyset';
import { TasksService } from '../../src/tasks/tasks.service';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const BIG = { id: 'big-user' };

/** One list call as the controller makes it: a page and the optional completed filter. */
type ListOptions = Omit<PageRequest, 'maxBytes'> & { completed?: boolean };
const list = (service: TasksService, { completed, ...page }: ListOptions) =>
  service.list(BIG, { ...page, maxBytes: 1 << 20 }, completed);
const ROWS = 20_000;

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * "Cost stays proportional to the page": the plan PostgreSQL runs for each list query the
 * repository sends reads about one page of index entries, whatever the user's total.
 */
describe('listing cost is proportional to the page, not to the user total', () => {
  let db: TestDatabase;
  let app: TestApp;
  let service: TasksService;
  let sent: Array<{ statement: Statement; values: unknown[] }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(
      `INSERT INTO tasks (user_id, title, completed, created_at)
       SELECT $1, 'task ' || i, i % 2 = 0, now() - i * interval '1 second'
         FROM generate_series(1, $2::int) AS i`,
      [BIG.id, ROWS],
    );
    await db.query('ANALYZE tasks');
    app = await startTestApp({ database: db });
    service = app.get(TasksService);
    const sql = app.get(SqlExecutor);
    const run = sql.run.bind(sql);
    // Records what the repository sends, and still runs it.
    jest.spyOn(sql, 'run').mockImplementation((statement, values) => {
      sent.push({ statement, values });
      return run(statement, values);
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function planOf(options: ListOptions): Promise<PlanNode> {
    sent = [];
    const page = await list(service, options);
    expect(page.rows).toHaveLength(options.limit);
    expect(sent).toHaveLength(1);
    const { statement, values } = sent[0];
    const [{ 'QUERY PLAN': explained }] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
      values,
    );
    return explained[0].Plan;
  }

  const second = async (options: ListOptions): Promise<ListOptions> => {
    const first = await list(service, options);
    return { ...options, after: first.next! };
  };

  it.each<[string, () => Promise<ListOptions>]>([
    ['first page, newest first', () => Promise.resolve({ limit: 20, order: 'desc' })],
    ['first page, oldest first', () => Promise.resolve({ limit: 20, order: 'asc' })],
    ['open tasks only', () => Promise.resolve({ limit: 20, order: 'desc', completed: false })],
    ['a later page (cursor)', () => second({ limit: 50, order: 'desc' })],
    ['a later page of completed tasks', () => second({ limit: 50, order: 'asc', completed: true })],
  ])('%s: an index scan that stops after one page, no sort', async (_, options) => {
    const resolved = await options();
    const plan = await planOf(resolved);
    const all = nodes(plan);
    expect(all.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(all.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    const scans = all.filter((n) => n['Node Type'].startsWith('Index'));
    expect(scans).toHaveLength(1);
    // limit + 1 rows at most (the extra one tells whether a next page exists), of 20,000.
    expect(scans[0]['Actual Rows'] * scans[0]['Actual Loops']).toBeLessThanOrEqual(
      resolved.limit + 1,
    );
    // ...and none read only to be thrown away by a filter (the completed filter is in the index).
    expect(scans[0]['Rows Removed by Filter'] ?? 0).toBe(0);
  });
});
