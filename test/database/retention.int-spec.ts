import { PURGE_BATCH, RetentionService } from '../../src/core/database/retention';
import { startTestApp, TestApp } from '../support/test-app';

describe('RetentionService: expired rows go without an operator', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    await app.db.query(
      'CREATE TABLE expiring (id int PRIMARY KEY, expires_at timestamptz NOT NULL)',
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  const purge = {
    statement: {
      name: 'expiring_purge',
      text: `DELETE FROM expiring WHERE id IN (
        SELECT id FROM expiring WHERE expires_at < now() LIMIT ${PURGE_BATCH})`,
    },
    values: () => [],
    everyMs: 60_000,
  };

  it('deletes every expired row, batch after batch, and nothing else', async () => {
    const expired = PURGE_BATCH * 2 + 5;
    await app.db.query(
      `INSERT INTO expiring SELECT i, CASE WHEN i <= $1 THEN now() - interval '1 hour' ELSE now() + interval '1 hour' END
         FROM generate_series(1, $1 + 10) AS i`,
      [expired],
    );
    expect(await app.get(RetentionService).run(purge)).toBe(expired);
    const [{ left }] = await app.db.query<{ left: number }>(
      'SELECT count(*)::int AS left FROM expiring',
    );
    expect(left).toBe(10);
  });

  it('runs a registered purge by itself after the app starts, and logs nothing on success', async () => {
    await app.db.query(`INSERT INTO expiring VALUES (100000, now() - interval '1 hour')`);
    const service = app.get(RetentionService);
    service.register({ ...purge, everyMs: 50 });
    service.onApplicationBootstrap();
    const deadline = Date.now() + 5000;
    let gone = false;
    while (!gone && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      gone = (await app.db.query('SELECT 1 FROM expiring WHERE id = 100000')).length === 0;
    }
    service.onApplicationShutdown();
    expect(gone).toBe(true);
  });

  it('keeps running after a failed purge, and stops with the app', async () => {
    const service = app.get(RetentionService);
    const broken = {
      ...purge,
      statement: { name: 'broken_purge', text: 'DELETE FROM missing_table' },
      everyMs: 20,
    };
    await expect(service.run(broken)).rejects.toBeDefined();
    const attempts = jest.spyOn(service, 'run');
    service.register(broken);
    service.onApplicationBootstrap();
    const deadline = Date.now() + 5000;
    while (attempts.mock.calls.filter(([p]) => p === broken).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    service.onApplicationShutdown();
    expect(attempts.mock.calls.filter(([p]) => p === broken).length).toBeGreaterThanOrEqual(3);
    const after = attempts.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts.mock.calls.length).toBe(after);
    attempts.mockRestore();
  });
});
