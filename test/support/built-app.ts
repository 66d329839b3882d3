import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ProcessUnderTest, ROOT, spawnProcess } from './child-process';
import { HttpClient } from './http';
import { TEST_JWT_SECRET } from './tokens';

const DIST_ENTRIES = ['dist/main.js', 'dist/migrate.js'];

/**
 * The jest global setup (test/support/build-dist.mjs) builds dist/ before any test file runs,
 * whenever it is missing or older than its sources; this only says so clearly if it did not.
 */
export function ensureBuilt(): void {
  const missing = DIST_ENTRIES.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} missing: run the tests with \`npm test\`, which builds dist/`,
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A compiled entry point (`dist/main.js`, `dist/migrate.js`) as a child process with
 * exactly the given environment (plus PATH), in a scratch working directory so no `.env` file is
 * picked up. `.finish()` waits for it to end; startBuiltApp() is for an app that should serve.
 */
export function runNode(script: string, env: Record<string, string>): ProcessUnderTest {
  ensureBuilt();
  return spawnProcess(process.execPath, [join(ROOT, script)], env);
}

export interface BuiltApp extends ProcessUnderTest {
  url: string;
  port: number;
  /** A client without a token, checking every answer against openapi.json. */
  http: HttpClient;
  /**
   * The metrics listener (METRICS_PORT, a free port of its own unless `env` sets it): `/metrics`
   * and `/health/live`. Not the API, so read it with `raw()`.
   */
  metrics: HttpClient;
}

/**
 * `node dist/main.js` on a free loopback port, NODE_ENV=production with JSON logs, no drain delay,
 * the test token secret and the metrics on a free port of their own (`env` may override any of
 * it); resolves once `/health/live` answers.
 * Pass `DATABASE_URL` and anything else in `env`.
 */
export async function startBuiltApp(
  env: Record<string, string>,
  { startTimeoutMs = 20_000 } = {},
): Promise<BuiltApp> {
  const port = await freePort();
  // In production /metrics has a port of its own (9464 by default): one per app, so apps of
  // parallel test files do not collide.
  const metricsPort = env.METRICS_PORT ?? String(await freePort());
  const proc = runNode('dist/main.js', {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: metricsPort,
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const http = new HttpClient(url);
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      throw new Error(`app exited with ${proc.child.exitCode} during startup:\n${proc.output()}`);
    }
    const live = await http.raw('GET', '/health/live', { timeoutMs: 1000 }).catch(() => undefined);
    if (live?.status === 200) break;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`app did not start within ${startTimeoutMs} ms:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...proc, url, port, http, metrics: new HttpClient(`http://127.0.0.1:${metricsPort}`) };
}
