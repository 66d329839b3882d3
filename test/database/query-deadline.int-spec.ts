import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { DatabaseConnectionError } from '../../src/core/database/pg-errors';
import { SqlExecutor } from '../../src/core/database/sql-executor';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { proxyInFrontOf, TcpProxy } from '../support/tcp-proxy';

const PING = { name: 'deadline_ping', text: 'SELECT 1 AS one' };

/**
 * When packets vanish, a query that first has to wait for a pooled connection must still fail
 * within one deadline (statement timeout + 1 s), not after the connect timeout on top of it.
 */
describe('SqlExecutor: one deadline per call while the network is silent', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;
  let sql: SqlExecutor;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await proxyInFrontOf(db.url);
    app = await startTestApp({
      database: db,
      env: {
        DATABASE_URL: proxy.urlFor(db.url),
        DATABASE_POOL_SIZE: '1',
        DATABASE_STATEMENT_TIMEOUT_MS: '300',
        DATABASE_CONNECT_TIMEOUT_MS: '4000',
      },
    });
    sql = app.get(SqlExecutor);
  });

  afterAll(async () => {
    await proxy?.restore();
    await app?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('fails a queued call at the deadline, then recovers when the network does', async () => {
    expect((await sql.run(PING, [])).rows).toEqual([{ one: 1 }]);
    proxy.blackhole();
    const started = performance.now();
    const outcomes = await Promise.all(
      [0, 1].map(() =>
        sql.run(PING, []).then(
          () => ({ ok: true, ms: performance.now() - started }),
          (error: unknown) => ({ error, ms: performance.now() - started }),
        ),
      ),
    );
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ error: expect.any(DatabaseConnectionError) });
      // 1.3 s deadline; without it the queued call would take 1.3 s + the 4 s connect timeout.
      expect(outcome.ms).toBeLessThan(2500);
    }
    await proxy.restore();
    const deadline = Date.now() + 10_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      recovered = await sql.run(PING, []).then(
        () => true,
        () => false,
      );
    }
    expect(recovered).toBe(true);
  });
});
