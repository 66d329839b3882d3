// Starts a real PgBouncer as a child process, in transaction mode and otherwise with its defaults
// (the way Neon runs it: no ignore_startup_parameters), on a free loopback port with its own ini
// in a temporary folder, in front of one PostgreSQL server. Used by the tests
// (test/support/pgbouncer.ts) and by `npm run bench -- --pooler pgbouncer`.
// CommonJS so that both jest (CommonJS) and the .mjs scripts can load it.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { canConnect, freePort } = require('./free-port.cjs');
const { join } = require('node:path');

const DEFAULT_BINARY = '/usr/sbin/pgbouncer';

/**
 * PGBOUNCER_BIN when set (and only it), else Debian's path, else `pgbouncer` on PATH; undefined
 * when there is none.
 */
function findPgBouncer() {
  const chosen = process.env.PGBOUNCER_BIN;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  if (existsSync(DEFAULT_BINARY)) return DEFAULT_BINARY;
  const which = spawnSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  return onPath || undefined;
}

/** e.g. [1, 18, 0] */
function pgBouncerVersion(binary) {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const match = /PgBouncer (\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
  return match ? match.slice(1).map((n) => Number(n ?? 0)) : undefined;
}

const quoteAuth = (value) => `"${String(value).replace(/"/g, '""')}"`;

/**
 * @param {object} options
 * @param {string} options.serverUrl  a URL of the PostgreSQL server to put the pooler in front of
 *   (its user and password are the ones the pooler accepts and logs in with)
 * @param {Record<string, string|number>} [options.settings]  extra [pgbouncer] settings, e.g.
 *   { max_prepared_statements: 100 } (only for versions that know them)
 * @param {string} [options.binary]
 */
async function startPgBouncer({ serverUrl, settings = {}, binary = findPgBouncer() }) {
  if (!binary)
    throw new Error('pgbouncer not found (apt-get install pgbouncer, or set PGBOUNCER_BIN)');
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username) || 'postgres';
  // A server with trust auth has no password; clients of the pooler must still send one.
  const password = server.password
    ? decodeURIComponent(server.password)
    : randomBytes(9).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'tasks-api-pgbouncer-'));
  // Debian's pgbouncer refuses to run as root: it runs as postgres, which must read these files.
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(join(dir, 'users.txt'), `${quoteAuth(user)} ${quoteAuth(password)}\n`, {
    mode: 0o644,
  });
  const ini = [
    '[databases]',
    // Any database name goes to the server under the same name (the tests make their own).
    `* = host=${server.hostname.replace(/^\[(.*)\]$/, '$1')} port=${server.port || 5432}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${join(dir, 'users.txt')}`,
    `admin_users = ${user}`,
    'pool_mode = transaction',
    ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'pgbouncer.ini'), ini, { mode: 0o644 });

  let child;
  let log = '';
  const spawnOnce = async () => {
    const asRoot = process.getuid?.() === 0;
    child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk) => {
      log = (log + chunk).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null)
        throw new Error(`pgbouncer exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`pgbouncer did not listen within 10 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stopChild = (signal) =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  await spawnOnce();

  const urlFor = (database) => {
    const url = new URL(`postgres://127.0.0.1:${port}/`);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  };
  return {
    port,
    binary,
    version: pgBouncerVersion(binary),
    /** The pooled URL of `database` (a name the server has). */
    urlFor,
    /** `databaseUrl` (a URL of the server) rewritten to go through the pooler. */
    pooledUrlOf: (databaseUrl) =>
      urlFor(decodeURIComponent(new URL(databaseUrl).pathname.slice(1))),
    /** The pooler's output so far (its log goes to stderr). */
    output: () => log,
    /** SIGKILL: every client and server connection drops at once, as in a crash. */
    kill: () => stopChild('SIGKILL'),
    /** Starts it again on the same port, with the same settings. */
    restart: async () => {
      await stopChild('SIGKILL');
      await spawnOnce();
    },
    /** Stops it (at once: the signals for a clean shutdown differ between versions) and removes its folder. */
    close: async () => {
      await stopChild('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { findPgBouncer, pgBouncerVersion, startPgBouncer };
