import { DataSource } from 'typeorm';
import { AppConfig } from './src/core/config/app.config';
import { ConfigValidationError, loadConfig, loadEnvFile } from './src/core/config/config';
import { buildDataSourceOptions } from './src/core/database/data-source-options';
import { DatabaseConfig } from './src/core/database/database.config';
import { runMigrationsLocked } from './src/core/database/migration-runner';
import { TASK_ENTITIES } from './src/tasks/task.entity';
import { missingDatabaseUrlHint } from './scripts/dev-database-url';

// The typeorm CLI's data source: the app's own validated database section and options factory,
// for migrations (DATABASE_MIGRATIONS_URL when set), with every entity for `migration:check`.
loadEnvFile();

/** A configuration problem is one line on stderr and exit 1, not the CLI's stack trace. */
function databaseConfig(): DatabaseConfig {
  try {
    return loadConfig(process.env, [AppConfig, DatabaseConfig]).get(DatabaseConfig);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    const missingUrl = error.problems.some((p) => p.startsWith('DATABASE_URL is required'));
    process.stderr.write(`${missingUrl ? missingDatabaseUrlHint() : error.message}\n`);
    process.exit(1);
  }
}

const config = databaseConfig();
const dataSource = new DataSource(buildDataSourceOptions(config, 'migrations', TASK_ENTITIES));

// `migration:run` applies under the migrate script's advisory lock (TypeORM's own run creates its
// table before any lock), so runs started together, directly or through a pooler, apply once.
const print = (fields: object, message: string) =>
  console.log(Object.keys(fields).length ? `${message} ${JSON.stringify(fields)}` : message);
dataSource.runMigrations = async () => {
  await runMigrationsLocked(config, { info: print, warn: print });
  return [];
};

export default dataSource;
