import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadEnvFile } from '../config/env-file';
import { ConfigValidationError, validateEnvironment } from '../config/environment';
import { parsePostgresUrl } from './connection-url';
import { MIGRATIONS_GLOB } from './data-source-options';
import { runMigrationsLocked } from './migration-runner';
import { explainDatabaseStartupError } from './startup-errors';
import { BufferedStdout, createRootLogger } from '../logging/root-logger';

/**
 * The compiled migrations this build knows. None means a broken build (`nest start --watch`
 * rewrites dist/ without dist/migrations), not an up-to-date database: migrating "nothing" and
 * exiting 0 would let a release run against a schema it never checked.
 */
function knownMigrationFiles(): string[] {
  const dir = dirname(MIGRATIONS_GLOB);
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.js$/.test(f)) : [];
}

/**
 * `npm run migration:run:prod` (`node dist/database/migrate.js`): the production migration
 * command, for a Kubernetes Job or init container. Compiled JavaScript only, no ts-node.
 * JSON log lines on stdout; exit 0 when the schema is up to date, 1 otherwise.
 */
async function main(): Promise<number> {
  loadEnvFile();
  let env;
  try {
    // Migrations need the database settings only, not the API's token configuration.
    env = validateEnvironment(process.env, { purpose: 'migrations' });
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  // The app's logger, without the app: same format, same stdout handling.
  const logger = createRootLogger(env, new BufferedStdout()).child({ context: 'Migrations' });
  if (knownMigrationFiles().length === 0) {
    const dir = dirname(MIGRATIONS_GLOB);
    logger.error(
      { dir },
      `no migrations found in ${dir}: this build is incomplete, run \`npm run build\``,
    );
    return 1;
  }
  try {
    await runMigrationsLocked(env, logger);
    return 0;
  } catch (error) {
    const url = env.DATABASE_MIGRATIONS_URL ?? env.DATABASE_URL;
    // A failing migration's SQL error is worth reading as is; a connection failure gets the
    // operator's sentence (host, user, database; never the password).
    const { code, query } = (error ?? {}) as { code?: unknown; query?: unknown };
    const reason =
      typeof code === 'string' && code !== '' && query === undefined
        ? explainDatabaseStartupError(error, parsePostgresUrl(url))
        : ((error as Error)?.message ?? String(error));
    logger.error({ reason }, 'migrations failed');
    return 1;
  }
}

void main().then((code) => process.exit(code));
