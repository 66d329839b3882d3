import { DatabaseConfig } from '../../src/core/database/database.config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/core/database/data-source-options';
import { runMigrationsLocked } from '../../src/core/database/migration-runner';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { status, timeUntil, Writer } from '../support/ops-client';
import { PrivatePostgres } from '../support/private-postgres';
import { testEnvironment } from '../support/test-database';

const USER = 'restart-user';

describe('the database server restarts mid-load', () => {
  let pg: PrivatePostgres;
  let app: BuiltApp;
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    const quiet = { info: () => undefined, warn: () => undefined };
    await runMigrationsLocked(testEnvironment(pg.url).get(DatabaseConfig), quiet);
    app = await startBuiltApp({ DATABASE_URL: pg.url });
  }, 180_000);

  afterAll(async () => {
    await app?.kill();
    await pg?.close();
    process.stdout.write(`\ndatabase restart figures (ms): ${JSON.stringify(figures)}\n`);
  });

  it('answers 503 while it is down, recovers without a restart, and loses no acknowledged write', async () => {
    const writer = new Writer(await app.http.asUser(USER), USER, 3);
    await timeUntil(() => writer.outcomes.filter((o) => o.status === 201).length >= 10, 10_000, 20);

    const stoppedAt = performance.now();
    await pg.stop();
    figures.stop = Math.round(performance.now() - stoppedAt);
    figures.readiness_503 = Math.round(
      await timeUntil(async () => (await status(app.http, '/health/ready')) === 503, 5000, 50),
    );
    await timeUntil(() => writer.outcomes.some((o) => o.status === 503), 10_000, 20);
    expect(await status(app.http, '/health/live')).toBe(200);

    const startedAt = performance.now();
    await pg.start();
    figures.start = Math.round(performance.now() - startedAt);
    figures.recovery = Math.round(
      await timeUntil(async () => (await status(app.http, '/health/ready')) === 200, 15_000, 50),
    );
    const afterRestart = writer.outcomes.length;
    await timeUntil(
      () => writer.outcomes.slice(afterRestart).filter((o) => o.status === 201).length >= 10,
      15_000,
      20,
    );
    const outcomes = await writer.stop();

    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([]);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(10_000);
    const ids = outcomes.filter((o) => o.status === 201).map((o) => o.id);
    const check = new DataSource({
      ...buildDataSourceOptions(testEnvironment(pg.url).get(DatabaseConfig)),
      poolSize: 1,
    });
    await check.initialize();
    try {
      const rows = await check.query<{ id: string }[]>(
        'SELECT id FROM tasks WHERE id = ANY($1::uuid[])',
        [ids],
      );
      figures.acknowledged = ids.length;
      figures.lost = ids.length - rows.length;
      expect(rows).toHaveLength(ids.length);
    } finally {
      await check.destroy();
    }
    expect(app.child.exitCode).toBeNull();
  }, 90_000);
});
