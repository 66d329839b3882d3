import { expect } from '@jest/globals';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import type { HttpClient } from '../support/http';
import { createTask, status, timeUntil, Writer } from '../support/ops-client';
import {
  describeWithPgBouncer,
  keepsPreparedStatements,
  PgBouncer,
  startTestPgBouncer,
} from '../support/pgbouncer';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const FALLBACK_WARNING = 'the database refused a named prepared statement';

/**
 * `workers` users at once, each creating, reading, listing and updating its own tasks `rounds`
 * times (four requests a round), stopping early after `maxSeconds`: every named statement of the
 * API runs concurrently on the pooler's server connections. Resolves with the count of each status
 * (0: no answer).
 */
async function mixedLoad(
  http: HttpClient,
  { workers = 16, rounds = 10, maxSeconds = 30 } = {},
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const deadline = performance.now() + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const user = `load-user-${w}`;
      const api = await http.asUser(user);
      // raw(): a load counts every status, 500s included, instead of failing on the first one.
      const call = async (method: string, path: string, json?: unknown) => {
        try {
          const res = await api.raw<{ id?: string }>(method, path, { json });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          return res.body;
        } catch {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
          return undefined;
        }
      };
      const tasks = `/api/${user}/tasks`;
      for (let i = 0; i < rounds && performance.now() < deadline; i++) {
        const created = await call('POST', tasks, { title: `task ${i}` });
        if (!created?.id) continue;
        await call('GET', `${tasks}/${created.id}`);
        await call('GET', `${tasks}?limit=20`);
        await call('PUT', `${tasks}/${created.id}`, { completed: i % 2 === 0 });
      }
    }),
  );
  return statuses;
}

const non2xx = (statuses: Map<number, number>) =>
  [...statuses].filter(([code]) => code < 200 || code > 299);

describeWithPgBouncer(
  'through PgBouncer (transaction mode): load, prepared statements, pooler restarts',
  () => {
    let pooler: PgBouncer;
    let db: TestDatabase;
    const apps: BuiltApp[] = [];

    beforeAll(async () => {
      pooler = await startTestPgBouncer();
      db = await createTestDatabase();
    }, 180_000);

    afterAll(async () => {
      await Promise.all(apps.map((a) => a.kill()));
      await db?.drop();
      await pooler?.close();
    });

    async function startApp(env: Record<string, string> = {}): Promise<BuiltApp> {
      const app = await startBuiltApp({
        DATABASE_URL: pooler.pooledUrlOf(db.url),
        RATE_LIMIT_ENABLED: 'false',
        ...env,
      });
      apps.push(app);
      return app;
    }

    const warnings = (app: BuiltApp) =>
      app.logs().filter((l) => typeof l.msg === 'string' && l.msg.startsWith(FALLBACK_WARNING));

    it('default settings: a short concurrent load gets only 2xx, and named statements give way to unnamed ones at most once', async () => {
      const app = await startApp();
      const statuses = await mixedLoad(app.http);
      expect(non2xx(statuses)).toEqual([]);
      expect(statuses.get(201)).toBe(16 * 10);
      if (keepsPreparedStatements(pooler)) {
        // PgBouncer >= 1.21 keeps named statements (max_prepared_statements): nothing to switch.
        expect(warnings(app)).toEqual([]);
      } else {
        // Statements were named first; the first conflict switched the process, said why once,
        // and the call that met it was retried: no client saw it.
        expect(warnings(app)).toEqual([
          expect.objectContaining({ level: 40, code: expect.stringMatching(/^(42P05|26000)$/) }),
        ]);
      }
      expect(app.output()).not.toMatch(/"level":50/);
      // And it stays healed: single requests after the load.
      const after = await mixedLoad(app.http, { workers: 1, rounds: 10 });
      expect(non2xx(after)).toEqual([]);
    });

    it('DATABASE_PREPARED_STATEMENTS=true forces named statements: what `auto` protects against', async () => {
      const app = await startApp({ DATABASE_PREPARED_STATEMENTS: 'true' });
      const statuses = await mixedLoad(app.http, { rounds: 5 });
      expect(warnings(app)).toEqual([]);
      if (keepsPreparedStatements(pooler)) {
        expect(non2xx(statuses)).toEqual([]);
      } else {
        // PgBouncer 1.18 in transaction mode cannot keep them: 500s, which `auto` turns into retries.
        expect(statuses.get(500) ?? 0).toBeGreaterThan(0);
      }
    });

    it('DATABASE_PREPARED_STATEMENTS=false: unnamed statements from the start, only 2xx', async () => {
      const app = await startApp({ DATABASE_PREPARED_STATEMENTS: 'false' });
      const statuses = await mixedLoad(app.http, { rounds: 5 });
      expect(non2xx(statuses)).toEqual([]);
      expect(warnings(app)).toEqual([]);
    });

    it('the pooler killed and restarted mid-load: 503 with Retry-After meanwhile, then recovery without a restart', async () => {
      const app = await startApp();
      const user = 'restart-user';
      const api = await app.http.asUser(user);
      const writer = new Writer(api, user, 4);
      await timeUntil(() => writer.outcomes.some((o) => o.status === 201), 5000, 20);

      await pooler.kill();
      await timeUntil(() => writer.outcomes.some((o) => o.status === 503), 10_000, 20);
      expect(await status(app.http, '/health/ready')).toBe(503);
      expect(await status(app.http, '/health/live')).toBe(200);

      await pooler.restart();
      const restartedAt = writer.outcomes.length;
      await timeUntil(async () => (await createTask(api, user, 'after')).status === 201, 10_000);
      await timeUntil(async () => (await status(app.http, '/health/ready')) === 200, 10_000);
      const outcomes = await writer.stop();

      const unavailable = outcomes.filter((o) => o.status === 503);
      expect(unavailable.length).toBeGreaterThan(0);
      for (const o of unavailable) {
        expect(o).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          retryAfter: expect.stringMatching(/^\d+$/),
        });
      }
      expect(outcomes.filter((o) => o.status !== 201 && o.status !== 503)).toEqual([]);
      // Requests after the restart succeed again (the tail of the load), in the same process.
      expect(outcomes.slice(restartedAt).some((o) => o.status === 201)).toBe(true);
      expect(app.child.exitCode).toBeNull();
      const again = await mixedLoad(app.http, { workers: 4, rounds: 10 });
      expect(non2xx(again)).toEqual([]);
    });
  },
);
