import { ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Processes whose command line names `dir` (the postmaster names its data folder). */
function serversOn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}
const PREFIX = 'tasks-api-test-pg-';

/**
 * `npm test`'s own global setup and teardown around one tiny test, as a separate jest process
 * with its own temp dir, always with the embedded PostgreSQL (no TEST_DATABASE_URL).
 */
function jestRun(scratch: string, test: 'waits' | 'passes'): ChildProcess {
  const config = {
    rootDir: scratch,
    testRegex: `${test}\\.test\\.js$`,
    testEnvironment: 'node',
    transform: {},
    globalSetup: join(ROOT, 'test', 'support', 'global-setup.mjs'),
    globalTeardown: join(ROOT, 'test', 'support', 'global-teardown.mjs'),
  };
  return spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config)],
    {
      cwd: scratch,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TMPDIR: join(scratch, 'tmp'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

interface Run {
  /** Resolves with the exit code (or signal), rejects after `ms`. */
  done: Promise<number | string | null>;
  /** Resolves once the waiting test has started; rejects if jest exits first. */
  started: Promise<void>;
  output: () => string;
}

function watch(child: ChildProcess, startedFile: string, ms: number): Run {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const done = new Promise<number | string | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jest still running after ${ms} ms:\n${output}`));
    }, ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
  const started = (async () => {
    while (!existsSync(startedFile)) {
      if (child.exitCode !== null) throw new Error(`jest exited before the test ran:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { done, started, output: () => output };
}

describe('the test setup removes its temporary PostgreSQL folder on every way out', () => {
  let scratch: string;
  const serverDirs = () => readdirSync(join(scratch, 'tmp')).filter((n) => n.startsWith(PREFIX));
  const run = (test: 'waits' | 'passes') =>
    watch(jestRun(scratch, test), join(scratch, 'started'), 60_000);

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'tasks-api-cleanup-'));
    mkdirSync(join(scratch, 'tmp'));
    // As root the server runs as the "postgres" user, which must be able to enter its temp dir.
    for (const dir of [scratch, join(scratch, 'tmp')]) chmodSync(dir, 0o755);
    writeFileSync(
      join(scratch, 'waits.test.js'),
      `test('waits', async () => {
        require('node:fs').writeFileSync(${JSON.stringify(join(scratch, 'started'))}, '');
        await new Promise((r) => setTimeout(r, 60_000));
      }, 70_000);\n`,
    );
    // Also what a newcomer without a UTF-8 locale gets (this jest has no LANG): a UTF-8 server.
    writeFileSync(
      join(scratch, 'passes.test.js'),
      `test('passes on a UTF-8 server', async () => {
        const { Client } = require(${JSON.stringify(join(ROOT, 'node_modules', 'pg'))});
        const client = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
        await client.connect();
        const { rows } = await client.query('SHOW server_encoding');
        await client.end();
        expect(rows).toEqual([{ server_encoding: 'UTF8' }]);
      });\n`,
    );
  });

  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-run: the server stops and the folder goes',
    async (signal) => {
      const jest = jestRun(scratch, 'waits');
      const { started, done } = watch(jest, join(scratch, 'started'), 60_000);
      await started;
      expect(serverDirs()).toHaveLength(1);
      jest.kill(signal);
      await done;
      expect(serverDirs()).toEqual([]);
    },
    90_000,
  );

  it('SIGKILL mid-run: the next run stops the orphaned server and removes its folder', async () => {
    const killed = jestRun(scratch, 'waits');
    const first = watch(killed, join(scratch, 'started'), 60_000);
    await first.started;
    const [left] = serverDirs();
    killed.kill('SIGKILL');
    await first.done;
    expect(serverDirs()).toEqual([left]); // nothing can run on SIGKILL: its server is still up
    expect(serversOn(join(scratch, 'tmp', left))).not.toEqual([]);

    const next = run('passes');
    expect([await next.done, next.output()]).toEqual([0, expect.stringContaining('1 passed')]);
    expect(serverDirs()).toEqual([]);
    expect(serversOn(join(scratch, 'tmp', left))).toEqual([]);
  }, 120_000);
});
