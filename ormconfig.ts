import { DataSource } from 'typeorm';
import { loadEnvFile } from './src/config/env-file';
import { ConfigValidationError, validateEnvironment } from './src/config/environment';
import { buildDataSourceOptions } from './src/database/data-source-options';
import { missingDatabaseUrlHint } from './scripts/dev-database-url';

// The typeorm CLI's data source: the app's own validated config and options factory, for the
// migrations purpose (DATABASE_MIGRATIONS_URL when set).
loadEnvFile();

/** A configuration problem is one line on stderr and exit 1, not the CLI's stack trace. */
function migrationsConfig() {
  try {
    return validateEnvironment(process.env, { purpose: 'migrations' });
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    const missingUrl = error.problems.some((p) => p.startsWith('DATABASE_URL is required'));
    process.stderr.write(`${missingUrl ? missingDatabaseUrlHint() : error.message}\n`);
    process.exit(1);
  }
}

export default new DataSource(buildDataSourceOptions(migrationsConfig(), 'migrations'));
