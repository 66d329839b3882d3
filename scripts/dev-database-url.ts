// The URL of the database `npm run dev` uses, left in .dev-data/ while it runs, so that the
// typeorm CLI (`npm run migration:*`, ormconfig.ts) can say which DATABASE_URL to set instead of
// failing with a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEV_DATABASE_URL_FILE = join(__dirname, '..', '.dev-data', 'database-url');

/** One line for a typeorm CLI run without DATABASE_URL. */
export function missingDatabaseUrlHint(file = DEV_DATABASE_URL_FILE): string {
  const devUrl = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  const example = devUrl || 'postgres://postgres:postgres@127.0.0.1:54329/tasks';
  return devUrl
    ? `DATABASE_URL is not set: \`npm run dev\` is using ${devUrl}; run DATABASE_URL=${devUrl} npm run migration:show (or put it in .env)`
    : `DATABASE_URL is not set: the migration commands need it, e.g. DATABASE_URL=${example} npm run migration:show (\`npm run dev\` prints the URL it uses)`;
}
