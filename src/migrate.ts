import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from './core/config/app.config';
import { ConfigValidationError, loadConfig, loadEnvFile } from './core/config/config';
import { DatabaseConfig } from './core/database/database.config';
import { parsePostgresUrl } from './core/database/connection-url';
import { MIGRATIONS_GLOB } from './core/database/data-source-options';
import { runMigrationsLocked } from './core/database/migration-runner';
import { explainDatabaseStartupError } from './core/database/startup-errors';
import { createRootLogger } from './core/ops/logging.module';

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
 * `npm run migration:run:prod` (`node dist/migrate.js`): the production migration
 * command, for a Kubernetes Job or init container. Compiled JavaScript only, no ts-node.
 * JSON log lines on stdout; exit 0 when the schema is up to date, 1 otherwise.
 */
async function main(): Promise<number> {
  loadEnvFile();
  let config;
  try {
    // Migrations need the database settings only, not the API's token configuration.
    config = loadConfig(process.env, [AppConfig, DatabaseConfig]);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  // The app's logger, without the app: same format, same stdout handling.
  const env = config.get(DatabaseConfig);
  const logger = createRootLogger(config.get(AppConfig)).child({ context: 'Migrations' });
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
