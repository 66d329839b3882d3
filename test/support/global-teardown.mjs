import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** What worker-exit-probe.cjs found: a handle some test left open, named with where it was made. */
async function reportWorkerExitProbe() {
  const dir = process.env.WORKER_EXIT_PROBE_DIR;
  if (!dir) return;
  const reports = await readdir(dir).catch(() => []);
  for (const file of reports) process.stderr.write(await readFile(join(dir, file), 'utf8'));
  await rm(dir, { recursive: true, force: true });
}

export default async function globalTeardown() {
  await reportWorkerExitProbe();
  const embedded = globalThis.__EMBEDDED_PG__;
  if (!embedded) return;
  await embedded.server.stop();
  await rm(embedded.dir, { recursive: true, force: true });
}
