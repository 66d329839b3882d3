import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from './core/config/app.config';
import { loadConfig, loadConfigOrExit } from './core/config/config';
import { DatabaseConfig } from './core/database/database.config';
import { explainDatabaseStartupError } from './core/database/connection-url';
import { MIGRATIONS_GLOB } from './core/database/data-source-options';
import { runMigrationsLocked } from './core/database/migration-runner';
import { createRootLogger } from './core/ops/logging.module';

/** `npm run migration:run:prod`, for a Kubernetes Job: exit 0 when the schema is up to date. */
async function main(): Promise<number> {
  const config = loadConfigOrExit((raw) => loadConfig(raw, [AppConfig, DatabaseConfig]));
  const env = config.get(DatabaseConfig);
  const logger = createRootLogger(config.get(AppConfig)).child({ context: 'Migrations' });
  const dir = dirname(MIGRATIONS_GLOB);
  // None is a broken build (`nest start --watch` drops dist/migrations), not an up-to-date schema.
  if (!existsSync(dir) || !readdirSync(dir).some((file) => file.endsWith('.js'))) {
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
    // A failing migration's SQL error reads as is; a connection failure gets the operator's sentence.
    const { code, query } = (error ?? {}) as { code?: unknown; query?: unknown };
    const reason =
      typeof code === 'string' && code !== '' && query === undefined
        ? explainDatabaseStartupError(error, env.DATABASE_MIGRATIONS_URL ?? env.DATABASE_URL)
        : ((error as Error)?.message ?? String(error));
    logger.error({ reason }, 'migrations failed');
    return 1;
  }
}

void main().then((code) => process.exit(code));
