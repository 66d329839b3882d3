// Preloaded (NODE_OPTIONS=--require) into the processes `npm run dev` starts. In the app process
// (dist/main) it holds the start until scripts/dev.mjs has the database up and migrated, which it
// signals by creating TASKS_DEV_DB_READY_FILE. Other processes (the nest CLI, tsc) pass straight
// through, so the compile runs while the database starts.
const { existsSync } = require('node:fs');

const readyFile = process.env.TASKS_DEV_DB_READY_FILE;
const isApp = /[\\/]dist[\\/]main(\.js)?$/.test(process.argv[1] ?? '');
if (readyFile && isApp && !existsSync(readyFile)) {
  const deadline = Date.now() + 120_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(readyFile) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
}
