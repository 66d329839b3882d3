import { SqlExecutor, type Statement } from '../../src/core/database/sql-executor';
import { ChangesQuery } from '../../src/core/sync/change-feed';
import { encodeSyncToken, decodeSyncToken } from '../../src/core/sync/change-feed';
import { TasksService } from '../../src/tasks/tasks.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const BIG = { id: 'big-user', tasks: 100_000 };
const SMALL = { id: 'small-user', tasks: 100 };
const CHANGES = 10;
const RUNS = 41;

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * Issue 21: a sync of 10 recent changes costs no more than 2x for a user owning 100,000 tasks
 * than for one owning 100 (medians), and the plan reads about the changes, not the user's tasks.
 */
describe('sync cost is proportional to the changes, not to the tasks owned', () => {
  let db: TestDatabase;
  let app: TestApp;
  let service: TasksService;
  const since: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const user of [BIG, SMALL]) {
      await db.query(
        `INSERT INTO tasks (user_id, title) SELECT $1, 'task ' || i FROM generate_series(1, $2::int) i`,
        [user.id, user.tasks],
      );
    }
    await db.query('ANALYZE tasks');
    // A transaction id after the seed: what a client that synced after it holds.
    const [{ xid }] = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
    for (const user of [BIG, SMALL]) {
      since[user.id] = encodeSyncToken({ from: xid, since: Date.now() });
      await db.query(
        `UPDATE tasks SET completed = true WHERE id IN (
           SELECT id FROM tasks WHERE user_id = $1 ORDER BY random() LIMIT $2)`,
        [user.id, CHANGES],
      );
    }
    app = await startTestApp({ database: db });
    service = app.get(TasksService);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const query = (user: { id: string }) =>
    Object.assign(new ChangesQuery(), { limit: 100, since: decodeSyncToken(since[user.id]) });
  const sync = (user: { id: string }) => service.changes(user, query(user), 1 << 20);

  it('answers exactly the 10 changes, for either user', async () => {
    for (const user of [BIG, SMALL]) {
      const answer = await sync(user);
      expect(answer.changes).toHaveLength(CHANGES);
      expect(answer.changes.every((task) => task.completed && task.user_id === user.id)).toBe(true);
      expect(answer.has_more).toBe(false);
    }
  });

  it('its plan scans the two indexes for the changes only: no sequential scan, no sort of tasks', async () => {
    const sql = app.get(SqlExecutor);
    const sent: Array<{ statement: Statement; values: unknown[] }> = [];
    const run = sql.run.bind(sql);
    const spy = jest.spyOn(sql, 'run').mockImplementation((statement, values) => {
      sent.push({ statement, values });
      return run(statement, values);
    });
    try {
      await sync(BIG);
    } finally {
      spy.mockRestore();
    }
    const { statement, values } = sent[0];
    const [{ 'QUERY PLAN': explained }] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
      values,
    );
    const all = nodes(explained[0].Plan);
    expect(all.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    const scans = all.filter((n) => n['Node Type'].startsWith('Index'));
    expect(scans).toHaveLength(2);
    for (const scan of scans) {
      expect(scan['Actual Rows'] * scan['Actual Loops']).toBeLessThanOrEqual(CHANGES);
    }
  });

  it(`median of ${RUNS} syncs: the 100,000-task user costs at most 2x the 100-task user`, async () => {
    const times: Record<string, number[]> = { [BIG.id]: [], [SMALL.id]: [] };
    for (let i = 0; i < 5; i++) await Promise.all([sync(BIG), sync(SMALL)]);
    for (let i = 0; i < RUNS; i++) {
      for (const user of i % 2 ? [BIG, SMALL] : [SMALL, BIG]) {
        const started = process.hrtime.bigint();
        await sync(user);
        times[user.id].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const [big, small] = [median(times[BIG.id]), median(times[SMALL.id])];
    process.stdout.write(`sync of ${CHANGES} changes, median ms: 100k ${big}, 100 ${small}\n`);
    expect(big / small).toBeLessThanOrEqual(2);
  });
});
