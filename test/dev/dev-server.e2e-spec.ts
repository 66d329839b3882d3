import { ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../support/built-app';
import { run } from '../support/child-process';

const ROOT = join(__dirname, '..', '..');
const COPIED = [
  'src',
  'scripts',
  'migrations',
  'ormconfig.ts',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.dev.json',
  'tsconfig.migrations.json',
  'nest-cli.json',
];

/** A LAN address of this machine, if it has one: the dev server must not answer there. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('npm run dev: safe defaults, what it tells a newcomer, and a clean Ctrl+C', () => {
  let scratch: string;
  let dev: ChildProcess;
  let output = '';
  let port: number;
  let databasePort: number;

  const migrationShow = (env: Record<string, string>) =>
    run(
      process.execPath,
      [
        join(scratch, 'node_modules', 'typeorm', 'cli-ts-node-commonjs.js'),
        '-d',
        'ormconfig.ts',
        'migration:show',
      ],
      env,
      { cwd: scratch, timeoutMs: 60_000 },
    );

  const running = () => dev && dev.exitCode === null && dev.signalCode === null;

  /** `npm run dev` in its own process group, as a terminal runs it; resolves once it is ready. */
  async function startDev(): Promise<void> {
    output = '';
    dev = spawn('npm', ['run', 'dev'], {
      cwd: scratch,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        DEV_DATABASE_PORT: String(databasePort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    dev.stdout!.on('data', (d) => (output += d));
    dev.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 180_000;
    while (!/^\[dev\] token: .*$/m.test(output)) {
      if (!running()) throw new Error(`npm run dev exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm run dev not ready in 180 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Ctrl+C in the terminal: SIGINT to the whole group. Whether npm ended as a shell expects (0, or
   * by the SIGINT itself, as npm re-raises it), and how long it took.
   */
  async function pressCtrlC(): Promise<{ clean: boolean; ms: number }> {
    const started = performance.now();
    const exited = new Promise<boolean>((resolve) =>
      dev.once('exit', (code, signal) => resolve(code === 0 || signal === 'SIGINT')),
    );
    process.kill(-dev.pid!, 'SIGINT');
    const clean = await exited;
    return { clean, ms: performance.now() - started };
  }

  beforeAll(async () => {
    // A copy of the project with no .env and no .dev-data, so it starts from nothing.
    scratch = mkdtempSync(join(tmpdir(), 'tasks-api-dev-'));
    chmodSync(scratch, 0o755); // as root, the embedded server runs as "postgres" and must enter it
    for (const entry of COPIED)
      cpSync(join(ROOT, entry), join(scratch, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    port = await freePort();
    databasePort = await freePort();
    await startDev();
  }, 200_000);

  afterAll(async () => {
    if (running()) {
      const exited = new Promise((resolve) => dev.once('exit', resolve));
      process.kill(-dev.pid!, 'SIGINT');
      const stopped = setTimeout(() => process.kill(-dev.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(stopped);
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const line = (name: string) =>
    new RegExp(`^\\[dev\\] ${name}: (.*)$`, 'm').exec(output)?.[1] ?? '';

  it('listens on 127.0.0.1 only, and says so with the URL', async () => {
    expect(line('ready')).toBe(
      `http://127.0.0.1:${port} (this machine only; HOST=0.0.0.0 to share it), API docs at http://127.0.0.1:${port}/docs`,
    );
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(res.status).toBe(200);
    if (lanAddress) {
      await expect(fetch(`http://${lanAddress}:${port}/health/live`)).rejects.toThrow();
    }
  });

  it('prints a database URL that works, and how to get a token that the server accepts', async () => {
    const url = line('database');
    expect(url).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/tasks$/);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM tasks')).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
    expect(line('token')).toContain('npm run -s token -- alice');
    const token = await run(
      process.execPath,
      [join(scratch, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'scripts/token.ts', 'alice'],
      {},
      { cwd: scratch, timeoutMs: 60_000 },
    );
    const res = await fetch(`http://127.0.0.1:${port}/api/alice/tasks`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(res.status).toBe(200);
  });

  it('the migration commands: one line naming the dev URL without DATABASE_URL, and working with it', async () => {
    const url = line('database');
    expect(readFileSync(join(scratch, '.dev-data', 'database-url'), 'utf8').trim()).toBe(url);
    const without = await migrationShow({});
    expect(without.code).toBe(1);
    expect(without.stderr.trim().split('\n')).toEqual([
      `DATABASE_URL is not set: \`npm run dev\` is using ${url}; run DATABASE_URL=${url} npm run migration:show (or put it in .env)`,
    ]);
    const withUrl = await migrationShow({ DATABASE_URL: url });
    expect([withUrl.code, withUrl.stdout]).toEqual([
      0,
      expect.stringMatching(/\[X\] 1 CreateTasks\d+/),
    ]);
  }, 120_000);

  it('starts quietly: the three ready lines, no line per Nest module or route, no warning that does not apply', () => {
    expect(output).not.toMatch(/InstanceLoader|RoutesResolver|RouterExplorer/);
    expect(output).not.toMatch(/\bWARN\b|migration:run:prod/);
    expect(output.match(/^\[dev\] (ready|database|token): /gm)).toEqual([
      '[dev] ready: ',
      '[dev] database: ',
      '[dev] token: ',
    ]);
  });

  it('Ctrl+C, three times from a ready server: each stops the app and PostgreSQL within 5 s and says so', async () => {
    const stops = [];
    for (let round = 1; round <= 3; round++) {
      if (round > 1) await startDev();
      const { clean, ms } = await pressCtrlC();
      stops.push({ round, clean, under5s: ms < 5000, forced: /forcing exit/.test(output) });
      expect(output).toMatch(/^\[dev\] stopped: the app and the embedded PostgreSQL are down$/m);
      expect(existsSync(join(scratch, '.dev-data', 'database-url'))).toBe(false);
      const client = new Client({
        connectionString: line('database'),
        connectionTimeoutMillis: 2000,
      });
      await expect(client.connect()).rejects.toThrow();
    }
    expect(stops).toEqual(
      [1, 2, 3].map((round) => ({ round, clean: true, under5s: true, forced: false })),
    );
  }, 300_000);
});
