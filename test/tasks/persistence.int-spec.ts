import { TasksService } from '../../src/tasks/tasks.service';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

const DANA = { id: 'dana' };

describe('persistence across an app restart', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('reads with a new app instance (unnamed statements) what the closed one wrote', async () => {
    const first = await startTestApp({ database: db });
    const created = await first.get(TasksService).create(DANA, {
      title: 'survive a restart',
      description: 'please',
    });
    const toggled = await first.get(TasksService).complete(DANA, created.id);
    await first.close();

    // The second instance as behind PgBouncer < 1.21: unnamed statements only.
    const second = await startTestApp({
      database: db,
      env: { DATABASE_PREPARED_STATEMENTS: 'false' },
    });
    try {
      expect(await second.get(TasksService).get(DANA, created.id)).toEqual(toggled);
      const { rows } = await second
        .get(TasksService)
        .list(DANA, { limit: 10, order: 'desc', maxBytes: 1 << 20 });
      expect(rows).toEqual([toggled]);
    } finally {
      await second.close();
    }
  });
});
