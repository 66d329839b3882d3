import { spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../support/child-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
const BUILD_DIST = join(ROOT, 'test', 'support', 'build-dist.mjs');
const COPIED = [
  'src',
  'migrations',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.dev.json',
  'tsconfig.migrations.json',
  'nest-cli.json',
];

/** The global setup's decision about `root`'s dist/, as `npm test` makes it. */
async function distState(root: string, command: 'check' | 'build'): Promise<string> {
  const result = await run(
    process.execPath,
    [BUILD_DIST, command, root],
    {},
    { timeoutMs: 150_000 },
  );
  if (result.code !== 0) throw new Error(`build-dist ${command} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

/** Runs `npm run dev`'s own watch build (scripts/dev-watch.mjs) in `root` until its first compile is done. */
async function devWatchBuild(root: string): Promise<void> {
  const command = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { nestWatchCommand } from ${JSON.stringify(join(ROOT, 'scripts', 'dev-watch.mjs'))};` +
        `process.stdout.write(JSON.stringify(nestWatchCommand(${JSON.stringify(root)})));`,
    ],
    {},
  );
  const { command: nest, args } = JSON.parse(command.stdout) as { command: string; args: string[] };
  // Without DATABASE_URL the app it starts exits at once; the watcher stays, so it is stopped here.
  const child = spawn(nest, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no compile within 120 s:\n${output}`)),
        120_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Found \d+ errors?\. Watching for file changes/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`watch build exited (${code}):\n${output}`)));
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
}

describe('dist/ freshness: `npm run dev`, then `npm test`', () => {
  let scratch: string;
  let db: TestDatabase;

  beforeAll(async () => {
    // A copy of the project with the dist/ the global setup just built, and the same node_modules.
    scratch = mkdtempSync(join(tmpdir(), 'tasks-api-freshness-'));
    for (const entry of [...COPIED, 'dist'])
      cpSync(join(ROOT, entry), join(scratch, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    db = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await db?.drop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const migrate = () =>
    run(process.execPath, [join(scratch, 'dist', 'migrate.js')], {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
    });

  it('a dev watch build leaves dist/ without its migrations; the test setup rebuilds it and migrate.js works again', async () => {
    expect(await distState(scratch, 'check')).toBe('fresh');

    await devWatchBuild(scratch);
    // What the issue saw: the app is back, newer than every source, and the migrations are gone.
    expect(existsSync(join(scratch, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(scratch, 'dist', 'migrations'))).toBe(false);
    expect(await distState(scratch, 'check')).not.toBe('fresh');

    // migrate.js that knows no migrations refuses instead of reporting success.
    const broken = await migrate();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('no migrations found in');
    expect(await db.query(`SELECT to_regclass('tasks') AS t`)).toEqual([{ t: null }]);

    expect(await distState(scratch, 'build')).toBe('built');
    expect(await distState(scratch, 'check')).toBe('fresh');
    expect(readdirSync(join(scratch, 'dist', 'migrations'))).toEqual(
      readdirSync(join(ROOT, 'migrations')).map((f) => f.replace(/\.ts$/, '.js')),
    );
    const fixed = await migrate();
    expect([fixed.code, fixed.stdout]).toEqual([0, expect.stringContaining('migration applied')]);
    expect(await db.query(`SELECT to_regclass('tasks')::text AS t`)).toEqual([{ t: 'tasks' }]);
  }, 300_000);

  it('an edited source, or a missing compiled file, makes dist/ stale', async () => {
    expect(await distState(scratch, 'check')).toBe('fresh');
    const migration = readdirSync(join(scratch, 'dist', 'migrations'))[0];
    rmSync(join(scratch, 'dist', 'migrations', migration));
    expect(await distState(scratch, 'check')).toMatch(/^dist\/ lacks dist\/migrations\//);
    cpSync(
      join(ROOT, 'dist', 'migrations', migration),
      join(scratch, 'dist', 'migrations', migration),
    );
    expect(await distState(scratch, 'check')).toBe('fresh');

    // Content, not clocks: the same bytes with an old timestamp still count as a change.
    appendFileSync(join(scratch, 'src', 'main.ts'), '\n// edited\n');
    utimesSync(join(scratch, 'src', 'main.ts'), new Date(0), new Date(0));
    expect(await distState(scratch, 'check')).toBe('the sources changed since dist/ was built');
  });
});
