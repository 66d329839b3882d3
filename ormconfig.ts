import { DataSource } from 'typeorm';
import { loadEnvFile } from './src/config/env-file';
import { validateEnvironment } from './src/config/environment';
import { buildDataSourceOptions } from './src/database/data-source-options';

// The typeorm CLI's data source: the app's own validated config and options factory, for the
// migrations purpose (DATABASE_MIGRATIONS_URL when set).
loadEnvFile();
export default new DataSource(
  buildDataSourceOptions(validateEnvironment(process.env, { purpose: 'migrations' }), 'migrations'),
);
