import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from '../../scripts/free-port.cjs';

/** REDIS_SERVER_BIN, else Debian's /usr/bin/redis-server, else PATH; undefined when none. */
function findRedisServer(): string | undefined {
  const chosen = process.env.REDIS_SERVER_BIN;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : undefined;
}

export const REDIS_SERVER_BINARY = findRedisServer();
const REQUIRED = process.env.REQUIRE_REDIS === '1';
const MISSING =
  'redis-server not found: apt-get install redis-server (Debian/Ubuntu), brew install redis (macOS), or set REDIS_SERVER_BIN';

/**
 * `describe` for tests that need a real redis-server. Without the binary: one skipped test and
 * one line on stderr saying so, or, when REQUIRE_REDIS=1 (`.ci/run`), one failing test.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER_BINARY) return describe(name, body);
  if (REQUIRED) {
    return describe(name, () => {
      it('needs redis-server (REQUIRE_REDIS=1)', () => {
        throw new Error(`${MISSING} (REQUIRE_REDIS=1): ${name}`);
      });
    });
  }
  process.stderr.write(`skipped: ${name}: ${MISSING}\n`);
  describe.skip(name, () => it(MISSING, () => undefined));
}

export interface RedisServer {
  port: number;
  /** redis://[:password@]127.0.0.1:port */
  url: string;
  /** SIGKILL: every connection drops at once, as in a crash. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is saved). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A redis-server child process on a free loopback port, in a temporary folder, saving nothing. */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tasks-api-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  args.push('--save', '', '--appendonly', 'no', '--enable-debug-command', 'local');
  if (options.password) args.push('--requirepass', options.password);
  let child: ChildProcess | undefined;
  let log = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const start = async () => {
    child = spawn(REDIS_SERVER_BINARY!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-10_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited:\n${log}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not listen in 10 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
