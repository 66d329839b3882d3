// Provides the PostgreSQL server the tests make their databases on, as TEST_ADMIN_DATABASE_URL:
// TEST_DATABASE_URL when given (CI against a real server), otherwise an embedded PostgreSQL in a
// temporary folder, so `npm test` passes on a laptop with nothing installed.
// Tests only ever connect to databases they created (test/support/test-database.ts).
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const { startEmbeddedPostgres } = await import('../../scripts/embedded-postgres.mjs');
  const dir = await mkdtemp(join(tmpdir(), 'tasks-api-test-pg-'));
  // As root the server runs as a system user, which must be able to reach its data folder.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), persistent: false, durable: false });
  globalThis.__EMBEDDED_PG__ = { server, dir };
  process.env.TEST_ADMIN_DATABASE_URL = server.url;
  process.env.TEST_EMBEDDED_PG_DATA = join(dir, 'data');
}
