import { Client } from 'pg';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import type { HttpClient } from '../support/http';
import { createTask, status, timeUntil } from '../support/ops-client';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const USER = 'shutdown-user';
const DRAIN_MS = 1500;
const TIMEOUT_MS = 10_000;
const IN_FLIGHT = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown of the built app on SIGTERM', () => {
  let db: TestDatabase;
  let app: BuiltApp;
  let locker: Client | undefined;
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBuiltApp({
      DATABASE_URL: db.url,
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_MS),
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  }, 180_000);

  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await app?.kill();
    await db?.drop();
    process.stdout.write(`\nshutdown figures (ms): ${JSON.stringify(figures)}\n`);
  });

  it('flips readiness at once, serves through the drain, finishes every in-flight request and exits 0', async () => {
    const api: HttpClient = await app.http.asUser(USER);
    expect((await createTask(api, USER, 'warm-up')).status).toBe(201);
    expect(await status(app.http, '/health/ready')).toBe(200);

    // Slow requests, for real: the test holds the table lock, so the INSERTs wait in PostgreSQL.
    locker = new Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE');
    const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
      createTask(api, USER, `in flight ${i}`, 20_000),
    );
    const waiting = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'tasks'::regclass AND NOT granted`,
        )
      )[0].n >= IN_FLIGHT;
    await timeUntil(waiting, 5000, 20);

    const signalledAt = performance.now();
    app.child.kill('SIGTERM');
    figures.readiness_flip = Math.round(
      await timeUntil(async () => (await status(app.http, '/health/ready', 1000)) === 503, 1000, 5),
    );
    // Still serving during the drain: liveness answers, and a request sent now is taken too.
    expect(await status(app.http, '/health/live', 1000)).toBe(200);
    const lateRequest = createTask(api, USER, 'sent during the drain', 20_000);
    await sleep(DRAIN_MS / 3);
    expect(await status(app.http, '/health/ready', 1000)).toBe(503);

    // After the drain the listener closes while the requests still wait on the lock.
    await sleep(Math.max(0, DRAIN_MS + 700 - (performance.now() - signalledAt)));
    expect(app.child.exitCode).toBeNull();
    expect(await status(app.http, '/health/live', 1000)).toBe(0);

    await locker.query('COMMIT');
    await locker.end();
    locker = undefined;
    const outcomes = await Promise.all([...inFlight, lateRequest]);
    expect(outcomes.map((o) => o.status)).toEqual(Array(IN_FLIGHT + 1).fill(201));

    const exit = await app.waitForExit(TIMEOUT_MS + 5000);
    figures.exit_after_signal = Math.round(performance.now() - signalledAt);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(figures.exit_after_signal).toBeLessThan(DRAIN_MS + TIMEOUT_MS);

    // Every acknowledged create is committed.
    const ids = outcomes.map((o) => o.id);
    const rows = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows[0].n).toBe(IN_FLIGHT + 1);

    // Every step is logged, in order.
    const steps = app
      .logs()
      .filter((l) => l.context === 'Shutdown')
      .map((l) => String(l.msg));
    expect(steps).toEqual([
      expect.stringMatching(
        /^SIGTERM received: readiness now 503; serving for a 1500 ms drain delay/,
      ),
      expect.stringMatching(/^drain delay over after \d+ ms: closing the listener/),
      expect.stringMatching(/^listener closed, in-flight requests done after \d+ ms/),
      expect.stringMatching(/^application and database pool closed after \d+ ms: exit 0$/),
    ]);
  });

  it('a second signal forces exit 1', async () => {
    const second = await startBuiltApp({ DATABASE_URL: db.url, SHUTDOWN_DRAIN_DELAY_MS: '5000' });
    try {
      second.child.kill('SIGTERM');
      await timeUntil(
        async () => (await status(second.http, '/health/ready', 1000)) === 503,
        2000,
        10,
      );
      second.child.kill('SIGINT');
      expect(await second.waitForExit(3000)).toEqual({ code: 1, signal: null });
      expect(second.output()).toMatch(/SIGINT received again after \d+ ms: forcing exit 1/);
    } finally {
      await second.kill();
    }
  });
});
