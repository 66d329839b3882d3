import { runMigrationsLocked } from '../../src/core/database/migration-runner';
import { runNode, startBuiltApp } from '../support/built-app';
import { ROOT, run } from '../support/child-process';
import { MIGRATIONS, migrationRows } from '../support/migrations';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('migrations in a cluster', () => {
  const dbs: TestDatabase[] = [];

  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('two `migration:run:prod` processes started together both exit 0 and apply each migration once', async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'info', NODE_ENV: 'production' };
    const runs = [runNode('dist/migrate.js', env), runNode('dist/migrate.js', env)];
    const exits = await Promise.all(runs.map((r) => r.waitForExit(30_000)));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(await migrationRows(db)).toEqual(MIGRATIONS);
    // One run applied it, the other waited on the lock and found nothing pending.
    const messages = runs.map((r) => r.logs().map((l) => l.msg));
    const applied = messages.filter((m) => m.includes('migration applied'));
    const idle = messages.filter((m) => m.includes('no pending migrations'));
    expect(applied).toHaveLength(1);
    expect(idle).toHaveLength(1);
    for (const m of messages) {
      expect(m).toEqual(
        expect.arrayContaining(['migration lock acquired', 'migration lock released']),
      );
    }
    // The tasks table is really there.
    expect(await db.query('SELECT count(*)::int AS n FROM tasks')).toEqual([{ n: 0 }]);
  });

  it('`npm run migration:run` (the typeorm CLI) twice at once on two fresh databases: exit 0, applied once', async () => {
    const fresh = await Promise.all([1, 2].map(() => createTestDatabase({ migrate: false })));
    dbs.push(...fresh);
    const cli = (db: TestDatabase) =>
      run(
        'npm',
        ['run', '--silent', 'migration:run'],
        { DATABASE_URL: db.url },
        { cwd: ROOT, timeoutMs: 90_000 },
      );
    const results = await Promise.all(fresh.flatMap((db) => [cli(db), cli(db)]));
    for (const result of results) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toContain('migration lock acquired');
    }
    for (const db of fresh) expect(await migrationRows(db)).toEqual(MIGRATIONS);
    const output = results.map((r) => r.stdout).join('');
    expect(output.match(/no pending migrations/g)).toHaveLength(2);
  }, 120_000);

  it('in-process runs under the lock: concurrent calls apply once, a later call is a no-op', async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    const lines: string[] = [];
    const record = (_: object, message: string) => lines.push(message);
    const logger = { info: record, warn: record };
    const results = await Promise.all([
      runMigrationsLocked(db.env, logger),
      runMigrationsLocked(db.env, logger),
      runMigrationsLocked(db.env, logger),
    ]);
    expect(results.flat()).toEqual(MIGRATIONS);
    expect(await runMigrationsLocked(db.env, logger)).toEqual([]);
    expect(await migrationRows(db)).toEqual(MIGRATIONS);
    expect(lines.filter((l) => l === 'migration lock acquired')).toHaveLength(4);
  });

  it('MIGRATIONS_RUN_ON_STARTUP: two replicas starting together on a fresh database both serve, each migration applied once', async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    const env = { DATABASE_URL: db.url, MIGRATIONS_RUN_ON_STARTUP: 'true' };
    const apps = await Promise.all([startBuiltApp(env), startBuiltApp(env)]);
    try {
      for (const app of apps) {
        expect((await app.http.get('/health/ready')).status).toBe(200);
      }
      expect(await migrationRows(db)).toEqual(MIGRATIONS);
      const applied = apps.flatMap((a) => a.logs().filter((l) => l.msg === 'migration applied'));
      expect(applied).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all(apps.map((a) => a.kill()));
    }
  });

  it('a run that cannot reach the database exits 1 with a reason and no password', async () => {
    const run = runNode('dist/migrate.js', {
      DATABASE_URL: 'postgres://someone:s3cret-pw@127.0.0.1:1/nowhere',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(await run.waitForExit(15_000)).toEqual({ code: 1, signal: null });
    expect(run.output()).toMatch(/connection refused at 127\.0\.0\.1:1/);
    expect(run.output()).not.toContain('s3cret-pw');
  });

  it('a run with a bad configuration exits 1 naming the variable', async () => {
    const run = runNode('dist/migrate.js', { DATABASE_URL: 'mysql://x/y' });
    expect(await run.waitForExit(15_000)).toEqual({ code: 1, signal: null });
    expect(run.output()).toMatch(/DATABASE_URL is invalid/);
  });
});
