import { DatabaseConfig } from '../../src/core/database/database.config';
import { expect } from '@jest/globals';
import { Client } from 'pg';
import { runMigrationsLocked } from '../../src/core/database/migration-runner';
import { createTestDatabase, TestDatabase, testEnvironment } from '../support/test-database';

/** The migration step's server-side timeouts: defaults of the app role in its database. */
describe('role timeouts set by the migration step', () => {
  const dbs: TestDatabase[] = [];
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const logger = {
    info: (fields: object, message: string) => lines.push({ level: 'info', fields, message }),
    warn: (fields: object, message: string) => lines.push({ level: 'warn', fields, message }),
  };

  beforeEach(() => {
    lines.length = 0;
  });

  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  async function fresh(): Promise<TestDatabase> {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    return db;
  }

  it("stores them for DATABASE_URL's role in this database only; new connections get them", async () => {
    const db = await fresh();
    await runMigrationsLocked(
      testEnvironment(db.url, { DATABASE_STATEMENT_TIMEOUT_MS: '2500' }).get(DatabaseConfig),
      logger,
    );
    const settings = await db.query<{ setconfig: string[] }>(
      `SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = $1 AND s.setrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
      [db.name],
    );
    expect(settings).toEqual([
      { setconfig: ['statement_timeout=2500', 'idle_in_transaction_session_timeout=5000'] },
    ]);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      expect((await client.query('SHOW statement_timeout')).rows).toEqual([
        { statement_timeout: '2500ms' },
      ]);
    } finally {
      await client.end();
    }
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('when the role cannot be altered, warns with the statements to run and still migrates', async () => {
    const db = await fresh();
    const appUrl = new URL(db.url);
    appUrl.username = 'tasks_app_role_that_does_not_exist';
    const env = testEnvironment(appUrl.toString(), { DATABASE_MIGRATIONS_URL: db.url }).get(
      DatabaseConfig,
    );
    expect(await runMigrationsLocked(env, logger)).toEqual([
      'CreateTasks1764150000000',
      'TaskCounts1764990000000',
      'TaskVersions1765100000000',
      'IdempotencyKeys1765150000000',
      'TaskChanges1765200000000',
    ]);
    const [warning] = lines.filter((l) => l.level === 'warn');
    expect(warning.message).toMatch(/^could not set the server-side timeouts of the app role/);
    expect(warning.fields).toMatchObject({
      role: 'tasks_app_role_that_does_not_exist',
      code: '42704',
      run: expect.stringContaining(
        `ALTER ROLE "tasks_app_role_that_does_not_exist" IN DATABASE "${db.name}" SET statement_timeout = 5000`,
      ),
    });
    expect(await db.query('SELECT count(*)::int AS n FROM tasks')).toEqual([{ n: 0 }]);
  });
});
