import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** The `tasks_set_updated_at` trigger, straight in SQL: every write path gets the same rule. */
describe('updated_at trigger', () => {
  let db: TestDatabase;
  let client: Client;
  let id: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO tasks (user_id, title) VALUES ('trigger-user', 't') RETURNING id`,
    );
    id = rows[0].id;
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('stamps the time of the update, not the start of its transaction', async () => {
    // A writer that waited (here: slept) inside its transaction must not stamp an older time
    // than writers that committed meanwhile.
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_sleep(0.3)');
      const { rows } = await client.query<{ lag_ms: number }>(
        `UPDATE tasks SET title = 'later' WHERE id = $1
         RETURNING extract(epoch FROM updated_at - now()) * 1000 AS lag_ms`,
        [id],
      );
      expect(Number(rows[0].lag_ms)).toBeGreaterThanOrEqual(250);
    } finally {
      await client.query('COMMIT');
    }
  });

  it('moves updated_at forward on every write, also twice in one transaction (the ETag version)', async () => {
    await client.query('BEGIN');
    try {
      const stamps: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { rows } = await client.query<{ v: string }>(
          `UPDATE tasks SET completed = NOT completed WHERE id = $1 RETURNING updated_at::text AS v`,
          [id],
        );
        stamps.push(rows[0].v);
      }
      expect(new Set(stamps).size).toBe(3);
      expect([...stamps].sort()).toEqual(stamps);
    } finally {
      await client.query('COMMIT');
    }
  });

  it('never moves updated_at backwards', async () => {
    const future = '2999-01-01T00:00:00.000Z';
    await client.query('ALTER TABLE tasks DISABLE TRIGGER tasks_set_updated_at');
    await client.query(`UPDATE tasks SET updated_at = $2 WHERE id = $1`, [id, future]);
    await client.query('ALTER TABLE tasks ENABLE TRIGGER tasks_set_updated_at');
    const { rows } = await client.query<{ updated_at: Date }>(
      `UPDATE tasks SET completed = true WHERE id = $1 RETURNING updated_at`,
      [id],
    );
    expect(rows[0].updated_at.toISOString()).toBe('2999-01-01T00:00:00.001Z');
  });
});
