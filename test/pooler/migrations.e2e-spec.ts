import { DatabaseConfig } from '../../src/core/database/database.config';
import { runMigrationsLocked } from '../../src/core/database/migration-runner';
import { runNode, startBuiltApp } from '../support/built-app';
import { ROOT, run } from '../support/child-process';
import { status, timeUntil } from '../support/ops-client';
import { describeWithPgBouncer, usePgBouncer } from '../support/pgbouncer';
import { MIGRATIONS, migrationRows } from '../support/migrations';
import { TestDatabase, testEnvironment } from '../support/test-database';

/** Advisory locks held anywhere on the server in this test's database. */
async function advisoryLocks(db: TestDatabase): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = $1)`,
    [db.name],
  );
  return n;
}

const messages = (logs: Array<Record<string, unknown>>) => logs.map((l) => l.msg);

describeWithPgBouncer('through PgBouncer (transaction mode): migrations on the pooled URL', () => {
  const bouncer = usePgBouncer();
  const freshDatabase = () => bouncer.freshDatabase();

  it.each([1, 2, 3])(
    'trial %i: two `migration:run:prod` runs at once both exit 0, apply once, leave no lock; a direct run then does not wait',
    async () => {
      const db = await freshDatabase();
      const env = {
        DATABASE_URL: bouncer.pooler.pooledUrlOf(db.url),
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
      };
      const runs = [runNode('dist/migrate.js', env), runNode('dist/migrate.js', env)];
      const exits = await Promise.all(runs.map((r) => r.waitForExit(30_000)));
      expect(exits).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      const logs = runs.map((r) => messages(r.logs()));
      expect(logs.flat().filter((m) => m === 'migration applied')).toHaveLength(MIGRATIONS.length);
      expect(logs.flat().filter((m) => m === 'no pending migrations')).toHaveLength(1);
      expect(runs.map((r) => r.output()).join('')).not.toMatch(/already exists|duplicate/i);
      expect(await migrationRows(db)).toEqual(MIGRATIONS);
      expect(await advisoryLocks(db)).toBe(0);

      // A lock left on an idle server connection made this one wait forever.
      const direct = runNode('dist/migrate.js', { ...env, DATABASE_URL: db.url });
      expect(await direct.waitForExit(15_000)).toEqual({ code: 0, signal: null });
      expect(messages(direct.logs())).toContain('no pending migrations');
    },
  );

  it('`npm run migration:run` (the typeorm CLI) twice at once on the pooled URL: exit 0, applied once, no lock left', async () => {
    const db = await freshDatabase();
    const env = { DATABASE_URL: bouncer.pooler.pooledUrlOf(db.url) };
    const cli = () =>
      run('npm', ['run', '--silent', 'migration:run'], env, { cwd: ROOT, timeoutMs: 90_000 });
    const results = await Promise.all([cli(), cli()]);
    for (const result of results) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    }
    expect(results.map((r) => r.stdout).join('')).not.toMatch(/already exists|duplicate/i);
    expect(await migrationRows(db)).toEqual(MIGRATIONS);
    expect(await advisoryLocks(db)).toBe(0);
  }, 120_000);

  it('in-process: four concurrent runs through the pooler apply once, and the lock is gone', async () => {
    const db = await freshDatabase();
    const env = testEnvironment(bouncer.pooler.pooledUrlOf(db.url)).get(DatabaseConfig);
    const quiet = { info: () => undefined, warn: () => undefined };
    const results = await Promise.all([1, 2, 3, 4].map(() => runMigrationsLocked(env, quiet)));
    expect(results.flat()).toEqual(MIGRATIONS);
    expect(await migrationRows(db)).toEqual(MIGRATIONS);
    expect(await advisoryLocks(db)).toBe(0);
  });

  it('MIGRATIONS_RUN_ON_STARTUP: three replicas on the pooled URL start together, all serve, each migration applied once', async () => {
    const db = await freshDatabase();
    const env = {
      DATABASE_URL: bouncer.pooler.pooledUrlOf(db.url),
      MIGRATIONS_RUN_ON_STARTUP: 'true',
    };
    // allSettled: a replica that failed to start must not leave the others running.
    const started = await Promise.allSettled([1, 2, 3].map(() => startBuiltApp(env)));
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(started.filter((s) => s.status === 'rejected')).toEqual([]);
      for (const app of apps) {
        await timeUntil(async () => (await status(app.http, '/health/ready')) === 200, 10_000);
      }
      const applied = apps.flatMap((a) => a.logs().filter((l) => l.msg === 'migration applied'));
      expect(applied).toHaveLength(MIGRATIONS.length);
      expect(await migrationRows(db)).toEqual(MIGRATIONS);
      expect(await advisoryLocks(db)).toBe(0);
    } finally {
      await Promise.all(apps.map((a) => a.kill()));
    }
  });
});
