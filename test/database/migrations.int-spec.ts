import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  buildDataSourceOptions,
  MIGRATIONS_TABLE,
} from '../../src/core/database/data-source-options';
import { ROOT, run } from '../support/child-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TYPEORM_CLI = join(ROOT, 'node_modules', '.bin', 'typeorm-ts-node-commonjs');

/** The schema objects the migration owns, by kind. */
async function schemaObjects(db: TestDatabase) {
  const [row] = await db.query<{
    tables: string[];
    indexes: string[];
    triggers: string[];
    functions: string[];
  }>(`SELECT
      ARRAY(SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tasks') AS tables,
      ARRAY(SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'tasks' ORDER BY 1) AS indexes,
      ARRAY(SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1) AS triggers,
      ARRAY(SELECT proname::text FROM pg_proc WHERE proname = 'tasks_set_updated_at') AS functions`);
  return row;
}

describe('migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    dataSource = new DataSource(buildDataSourceOptions(db.env, 'migrations'));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('run, run again (a no-op), revert (all gone), run again', async () => {
    const first = await dataSource.runMigrations({ transaction: 'each' });
    expect(first.map((m) => m.name)).toEqual([
      'CreateTasks1764150000000',
      'TaskCounts1764990000000',
      'TaskVersions1765100000000',
      'IdempotencyKeys1765150000000',
      'TaskChanges1765200000000',
    ]);
    expect(await schemaObjects(db)).toEqual({
      tables: ['tasks'],
      indexes: [
        'tasks_pkey',
        'tasks_user_change_idx',
        'tasks_user_completed_created_idx',
        'tasks_user_created_idx',
      ],
      triggers: [
        'tasks_set_change_xid',
        'tasks_set_updated_at',
        'tasks_tombstone',
        'tasks_uncount',
      ],
      functions: ['tasks_set_updated_at'],
    });
    expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(false);

    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect((await schemaObjects(db)).triggers).toEqual(['tasks_set_updated_at', 'tasks_uncount']);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect((await schemaObjects(db)).triggers).toEqual(['tasks_set_updated_at']);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schemaObjects(db)).toEqual({
      tables: [],
      indexes: [],
      triggers: [],
      functions: [],
    });
    expect(await db.query(`SELECT name FROM ${MIGRATIONS_TABLE}`)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);

    const again = await dataSource.runMigrations({ transaction: 'each' });
    expect(again.map((m) => m.name)).toEqual([
      'CreateTasks1764150000000',
      'TaskCounts1764990000000',
      'TaskVersions1765100000000',
      'IdempotencyKeys1765150000000',
      'TaskChanges1765200000000',
    ]);
    expect((await schemaObjects(db)).tables).toEqual(['tasks']);
  });

  it('TaskCounts counts the tasks that exist when it runs (the quota holds for old users too)', async () => {
    await db.query(
      `INSERT INTO tasks (user_id, title) SELECT 'u' || (g % 3), 't' FROM generate_series(1, 10) g`,
    );
    // Back to before TaskCounts (the migrations after it first), then forward again.
    for (const later of ['TaskChanges', 'IdempotencyKeys', 'TaskVersions', 'TaskCounts']) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(
        await db.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE name LIKE $1`, [`${later}%`]),
      ).toEqual([]);
    }
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await db.query('SELECT user_id, tasks FROM task_counts ORDER BY user_id')).toEqual([
      { user_id: 'u0', tasks: 3 },
      { user_id: 'u1', tasks: 4 },
      { user_id: 'u2', tasks: 3 },
    ]);
    await db.query(`DELETE FROM tasks WHERE user_id = 'u1'`);
    expect(await db.query(`SELECT tasks FROM task_counts WHERE user_id = 'u1'`)).toEqual([
      { tasks: 0 },
    ]);
    await db.query('DELETE FROM tasks');
  });

  it('leaves nothing for the schema builder to change: entity and migrations agree', async () => {
    // In-process twin of `npm run migration:check`: what `migration:generate` would write.
    const migrated = await createTestDatabase();
    const source = new DataSource(buildDataSourceOptions(migrated.env, 'migrations'));
    try {
      await source.initialize();
      const pending = await source.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await source.destroy();
      await migrated.drop();
    }
  });

  describe('through the npm scripts (typeorm CLI, ormconfig.ts)', () => {
    let fresh: TestDatabase;

    beforeAll(async () => {
      fresh = await createTestDatabase({ migrate: false });
    });

    afterAll(async () => {
      await fresh?.drop();
    });

    const cli = (args: string[], url = fresh.url) =>
      run(TYPEORM_CLI, [...args], { DATABASE_URL: url }, { cwd: ROOT, timeoutMs: 30_000 });

    it('migration:run applies the migration, and a second run says there is nothing to do', async () => {
      const first = await cli(['-d', 'ormconfig.ts', 'migration:run']);
      expect(first.code).toBe(0);
      // ormconfig.ts runs them through the migrate script's locked runner.
      expect(first.stdout).toMatch(
        /migration lock acquired[\s\S]*migration applied \{"migration":"CreateTasks1764150000000"\}[\s\S]*migration applied \{"migration":"TaskCounts1764990000000"\}[\s\S]*migration applied \{"migration":"TaskVersions1765100000000"\}[\s\S]*migration applied \{"migration":"IdempotencyKeys1765150000000"\}[\s\S]*migration applied \{"migration":"TaskChanges1765200000000"\}/,
      );
      const second = await cli(['-d', 'ormconfig.ts', 'migration:run']);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/no pending migrations/);
      expect(second.stdout).not.toMatch(/CREATE TABLE/);
    });

    it('migration:check finds no drift between the entity and the migrations', async () => {
      const migrated = await createTestDatabase();
      try {
        const check = await cli(
          ['-d', 'ormconfig.ts', 'migration:generate', '--check', '--dryrun', 'migrations/Drift'],
          migrated.url,
        );
        expect(`${check.stdout}${check.stderr}`).toMatch(
          /No changes in database schema were found/,
        );
        expect(check.code).toBe(0);
      } finally {
        await migrated.drop();
      }
    });
  });
});
