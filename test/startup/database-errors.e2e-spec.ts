import { createServer } from 'node:net';
import { runNode, startBuiltApp } from '../support/built-app';
import { expectCleanFailure } from '../support/child-process';
import { status } from '../support/ops-client';
import { closedPort, startSilentServer } from '../support/tcp-proxy';
import { adminUrl, createTestDatabase, TestDatabase } from '../support/test-database';
import { TEST_JWT_SECRET } from '../support/tokens';

const SECRET = 'Sup3r-s3cret-pw';

/** `node dist/main.js` to its exit, with the test token secret. */
const runMain = (env: Record<string, string>) =>
  runNode('dist/main.js', { AUTH_JWT_SECRET: TEST_JWT_SECRET, ...env }).finish();

function withPassword(url: string, overrides: { user?: string; database?: string } = {}): string {
  const u = new URL(url);
  if (overrides.user) u.username = overrides.user;
  if (overrides.database) u.pathname = `/${overrides.database}`;
  u.password = SECRET;
  return u.toString();
}

describe('the built app (node dist/main.js) at startup', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('names the user when the credentials are refused, never the password', async () => {
    const result = await runMain({
      DATABASE_URL: withPassword(db.url, { user: 'no_such_user_x' }),
      LOG_LEVEL: 'info',
    });
    expectCleanFailure(
      result,
      /^Startup failed: database authentication failed for user "no_such_user_x" at 127\.0\.0\.1:\d+/m,
      SECRET,
    );
  });

  it('says the database does not exist', async () => {
    const result = await runMain({
      DATABASE_URL: withPassword(adminUrl(), { database: 'tasks_no_such_db' }),
    });
    // The password is only right for the embedded server; a trust-auth server ignores it.
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    const url = new URL(adminUrl());
    url.pathname = '/tasks_no_such_db';
    const again = await runMain({ DATABASE_URL: url.toString() });
    expectCleanFailure(
      again,
      /database "tasks_no_such_db" does not exist at 127\.0\.0\.1:\d+/,
      SECRET,
    );
  });

  it('says the connection is refused when nothing listens on the port', async () => {
    const port = await closedPort();
    const result = await runMain({
      DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:${port}/tasks`,
    });
    expectCleanFailure(
      result,
      new RegExp(`database unreachable: connection refused at 127\\.0\\.0\\.1:${port}`),
      SECRET,
    );
  });

  it('gives up after the connect timeout when the host never answers', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const result = await runMain({
        DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:${silent.port}/tasks`,
        DATABASE_CONNECT_TIMEOUT_MS: '500',
      });
      expectCleanFailure(
        result,
        new RegExp(`no answer from 127\\.0\\.0\\.1:${silent.port} within the connect timeout`),
        SECRET,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await silent.close();
    }
  });

  it('starts, serves /health/ready and stops on SIGTERM with a good database', async () => {
    const app = await startBuiltApp({ DATABASE_URL: db.url });
    try {
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = await status(app.http, '/health/ready');
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);
      // JSON log lines in production, with the URL's password masked.
      const lines = app
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string });
      expect(lines.some((l) => /listening on port/.test(l.msg))).toBe(true);
      // It checks the migrations state at startup.
      expect(lines.some((l) => l.msg === 'database migrations up to date')).toBe(true);
      const dbPassword = new URL(db.url).password;
      if (dbPassword) expect(app.stdout()).not.toContain(`:${dbPassword}@`);
    } finally {
      app.child.kill('SIGTERM');
    }
    // Nest closes the app, then re-raises the signal: the process ends by SIGTERM, or 0.
    const { code, signal } = await app.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
  });

  it('names the address when the port is already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runMain({ DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Startup failed: cannot listen on 127.0.0.1:${port}, the API port, PORT (address already in use)\n`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('names the metrics port and METRICS_PORT when that one is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runMain({
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        METRICS_PORT: String(port),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Startup failed: cannot listen on 127.0.0.1:${port}, the metrics port, METRICS_PORT (address already in use)\n`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
