import { Client } from 'pg';
import { explainDatabaseStartupError } from '../../src/core/database/connection-url';
import { runNode, startBuiltApp } from '../support/built-app';
import { expectCleanFailure } from '../support/child-process';
import { TEST_JWT_SECRET } from '../support/tokens';
import { describeWithPgBouncer, startTestPgBouncer, usePgBouncer } from '../support/pgbouncer';

type LogLine = Record<string, unknown>;
/** `node dist/main.js` run to its exit; 60 s, as the pooler's refusals come slowly on a loaded machine. */
const runMain = (env: Record<string, string>) =>
  runNode('dist/main.js', { AUTH_JWT_SECRET: TEST_JWT_SECRET, ...env }).finish(60_000);
const byMessage = (logs: LogLine[], start: string) =>
  logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith(start));

describeWithPgBouncer(
  'through PgBouncer (transaction mode): startup and server-side timeouts',
  () => {
    const bouncer = usePgBouncer();
    const freshDatabase = (migrate: boolean) => bouncer.freshDatabase({ migrate });

    it('with the pooled URL and the direct one for migrations: migrates, starts, serves, and the server cuts a long statement', async () => {
      const db = await freshDatabase(false);
      const pooled = bouncer.pooler.pooledUrlOf(db.url);
      const settings = { DATABASE_URL: pooled, DATABASE_STATEMENT_TIMEOUT_MS: '1500' };
      const migrate = runNode('dist/migrate.js', {
        ...settings,
        DATABASE_MIGRATIONS_URL: db.url,
        // JSON log lines, as in the migration Job (development would print them pretty).
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
      });
      expect(await migrate.waitForExit(30_000)).toEqual({ code: 0, signal: null });
      expect(byMessage(migrate.logs(), 'server-side timeouts set as defaults')).toEqual([
        expect.objectContaining({ statementTimeoutMs: 1500, idleInTransactionTimeoutMs: 3000 }),
      ]);

      const app = await startBuiltApp(settings);
      try {
        expect((await app.http.get('/health/ready')).status).toBe(200);
        // Read back over a server connection of the pool, as the log says.
        expect(byMessage(app.logs(), 'server-side timeouts in effect')).toEqual([
          expect.objectContaining({
            level: 30,
            statementTimeoutMs: 1500,
            idleInTransactionTimeoutMs: 3000,
            clientDeadlineMs: 2500,
          }),
        ]);
        expect(app.output()).not.toMatch(/unsupported startup parameter/);
      } finally {
        await app.kill();
      }

      // Any new server connection of the app's role gets the bound, through the pooler.
      const client = new Client({ connectionString: pooled });
      await client.connect();
      try {
        expect((await client.query('SHOW statement_timeout')).rows).toEqual([
          { statement_timeout: '1500ms' },
        ]);
        await expect(client.query('SELECT pg_sleep(10)')).rejects.toMatchObject({ code: '57014' });
      } finally {
        await client.end();
      }
    });

    it('says plainly when only the client deadline applies (no role defaults set)', async () => {
      // Migrated by the test helper, which does not set the role defaults.
      const db = await freshDatabase(true);
      const app = await startBuiltApp({ DATABASE_URL: bouncer.pooler.pooledUrlOf(db.url) });
      try {
        expect((await app.http.get('/health/ready')).status).toBe(200);
        const [line] = byMessage(app.logs(), 'no server-side statement_timeout');
        expect(line).toMatchObject({ level: 40, statementTimeoutMs: 0, clientDeadlineMs: 6000 });
        expect(line.msg).toMatch(/only the client deadline \(6000 ms per call\) bounds a query/);
      } finally {
        await app.kill();
      }
    });

    it("classifies the real pooler's refusal of a session parameter as the server's message", async () => {
      const db = await freshDatabase(false);
      const pooled = bouncer.pooler.pooledUrlOf(db.url);
      // What the service used to send (pg puts statement_timeout into the startup packet).
      const client = new Client({ connectionString: pooled, statement_timeout: 1000 });
      const error: unknown = await client.connect().then(
        () => client.end(),
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        severity: 'FATAL',
        code: '08P01',
        message: 'unsupported startup parameter: statement_timeout',
      });
      expect(explainDatabaseStartupError(error, pooled)).toBe(
        `database server at 127.0.0.1:${bouncer.pooler.port} answered FATAL 08P01: unsupported startup parameter: statement_timeout`,
      );
    });

    it("node dist/main.js reports the pooler's FATAL (no more client connections) as such, not as a timeout", async () => {
      const db = await freshDatabase(false);
      const full = await startTestPgBouncer({ max_client_conn: 1 });
      const holder = new Client({ connectionString: full.pooledUrlOf(db.url) });
      try {
        await holder.connect();
        const url = full.pooledUrlOf(db.url);
        const result = await runMain({ DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_MS: '3000' });
        // The embedded server's password is its user name too: look for it as a URL would carry it.
        const secret = `:${new URL(url).password}@`;
        expectCleanFailure(
          result,
          /^Startup failed: database server at 127\.0\.0\.1:\d+ answered FATAL 08P01: no more connections allowed \(max_client_conn\)$/m,
          secret,
        );
        expect(result.stderr).not.toMatch(/timeout/);
      } finally {
        await holder.end();
        await full.close();
      }
    });

    it('a wrong password at the pooler is reported as an authentication failure', async () => {
      const db = await freshDatabase(false);
      const url = new URL(bouncer.pooler.pooledUrlOf(db.url));
      url.password = 'not-the-password';
      const result = await runMain({ DATABASE_URL: url.toString() });
      expectCleanFailure(
        result,
        /^Startup failed: database authentication failed for user "postgres" at 127\.0\.0\.1:\d+/m,
        'not-the-password',
      );
    });
  },
);
