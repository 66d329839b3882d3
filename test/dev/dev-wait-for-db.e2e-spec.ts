import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, run } from '../support/child-process';

/**
 * `npm run dev` compiles while the database starts; this preload holds the app process (and only
 * it) until the dev script has the database migrated. Here with a stand-in dist/main.js.
 */
describe('npm run dev: the app waits for the database, other processes do not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasks-api-devwait-'));
  const preload = join(ROOT, 'scripts', 'dev-wait-for-db.cjs');
  const readyFile = join(dir, 'ready');
  const app = join(dir, 'dist', 'main.js');
  const other = join(dir, 'other.js');

  beforeAll(() => {
    mkdirSync(join(dir, 'dist'));
    for (const file of [app, other]) writeFileSync(file, 'console.log(Date.now());\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => rmSync(readyFile, { force: true }));

  const start = (script: string) =>
    run(process.execPath, ['--require', preload, script], { TASKS_DEV_DB_READY_FILE: readyFile });

  it('holds dist/main.js until the ready file appears', async () => {
    const began = Date.now();
    setTimeout(() => writeFileSync(readyFile, 'ready'), 1500);
    const result = await start(app);
    expect(result.code).toBe(0);
    expect(Number(result.stdout) - began).toBeGreaterThanOrEqual(1450);
  });

  it('lets dist/main.js start at once when the database is already ready', async () => {
    writeFileSync(readyFile, 'ready');
    const began = Date.now();
    const result = await start(app);
    expect(Number(result.stdout) - began).toBeLessThan(1200);
  });

  it('never holds another process (the nest CLI, tsc)', async () => {
    const began = Date.now();
    const result = await start(other);
    expect(result.code).toBe(0);
    expect(Number(result.stdout) - began).toBeLessThan(1200);
  });
});
