import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const DIST_ENTRIES = ['dist/main.js', 'dist/database/migrate.js'];

/**
 * The jest global setup (test/support/build-dist.mjs) builds dist/ before any test file runs,
 * whenever it is missing or older than its sources; this only says so clearly if it did not.
 */
export async function ensureBuilt(): Promise<void> {
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

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines of stdout so far. */
  logs(): Array<Record<string, unknown>>;
  exited: Promise<Exit>;
  /** Resolves with the exit, or rejects after `ms`. */
  waitForExit(ms: number): Promise<Exit>;
  /** SIGKILL if still running; waits for the exit. */
  kill(): Promise<void>;
}

/**
 * A compiled entry point (e.g. `dist/main.js`) as a child process with exactly the given
 * environment (plus PATH), in a scratch working directory so no `.env` file is picked up.
 */
export function runNode(script: string, env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => stdout + stderr,
    logs: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    waitForExit(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`process still running after ${ms} ms`)), ms);
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface BuiltApp extends NodeProcess {
  url: string;
  port: number;
}

/** The secret a built app gets unless the test passes one. */
export const BUILT_APP_JWT_SECRET = 'built-app-test-secret-0123456789abcdef';

/**
 * `node dist/main.js` on a free loopback port, NODE_ENV=production with JSON logs; resolves once
 * `/health/live` answers. Pass `DATABASE_URL` and anything else in `env`.
 */
export async function startBuiltApp(
  env: Record<string, string>,
  { startTimeoutMs = 20_000 } = {},
): Promise<BuiltApp> {
  await ensureBuilt();
  const port = await freePort();
  const proc = runNode('dist/main.js', {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    // Every app needs a token key source; tests that mint tokens pass their own.
    AUTH_JWT_SECRET: BUILT_APP_JWT_SECRET,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      throw new Error(`app exited with ${proc.child.exitCode} during startup:\n${proc.output()}`);
    }
    try {
      const res = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`app did not start within ${startTimeoutMs} ms:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...proc, url, port };
}
