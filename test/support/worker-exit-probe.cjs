// Preloaded into each jest worker (global-setup.mjs puts it in NODE_OPTIONS). When the run ends,
// jest asks the workers to stop and a worker exits once nothing keeps its event loop alive; one
// that lives 5 s more gets "A worker process has failed to exit gracefully". 1 s and 4 s after
// the request this writes what the worker still holds (sockets, servers, child processes, and
// timers of 1 s or more with where they were set) to WORKER_EXIT_PROBE_DIR, and
// global-teardown.mjs prints it, so the handle is named in the run that leaked it.
const dir = process.env.WORKER_EXIT_PROBE_DIR;
if (dir && process.env.JEST_WORKER_ID && process.send) {
  const { appendFileSync } = require('node:fs');
  const { join } = require('node:path');
  const CALL = 1; // jest-worker's CHILD_MESSAGE_CALL and CHILD_MESSAGE_END
  const END = 2;
  const LONG_MS = 1000;

  const longTimers = new Map();
  for (const name of ['setTimeout', 'setInterval']) {
    const original = globalThis[name];
    globalThis[name] = function (callback, ms, ...args) {
      const timer = original.call(this, callback, ms, ...args);
      if (typeof ms === 'number' && ms >= LONG_MS) {
        if (longTimers.size > 10_000) {
          for (const [old] of longTimers) if (old._destroyed) longTimers.delete(old);
        }
        const where = new Error().stack
          .split('\n')
          .slice(2)
          .filter((frame) => !/node_modules\/jest-|node:internal/.test(frame))
          .slice(0, 4)
          .join('\n      ');
        longTimers.set(timer, `${name}(${ms} ms)\n      ${where}`);
      }
      return timer;
    };
  }

  const isOwnStdio = (handle) =>
    handle === process.stdout || handle === process.stderr || handle === process.stdin;
  const describe = (handle) => {
    const kind = handle?.constructor?.name ?? typeof handle;
    if (kind === 'Socket') {
      return `Socket ${handle.localAddress ?? ''}:${handle.localPort ?? ''} -> ${handle.remoteAddress ?? ''}:${handle.remotePort ?? ''}`;
    }
    if (kind === 'Server') return `Server ${JSON.stringify(handle.address?.())}`;
    if (kind === 'ChildProcess') return `ChildProcess ${handle.pid} ${handle.spawnargs?.join(' ')}`;
    return kind;
  };

  let lastFile = 'none';
  const report = (afterMs) => {
    const handles = process
      ._getActiveHandles()
      .filter((handle) => !isOwnStdio(handle) && handle !== process.channel)
      .map(describe)
      .filter((kind) => kind !== 'Pipe' && kind !== 'Control');
    const timers = [...longTimers]
      .filter(([timer]) => !timer._destroyed && timer.hasRef())
      .map(([, where]) => where);
    if (handles.length === 0 && timers.length === 0) return;
    const lines = [
      `worker ${process.pid} (last test file: ${lastFile}), ${afterMs} ms after jest asked it to stop, still holds:`,
      ...handles.map((handle) => `  ${handle}`),
      ...timers.map((timer) => `  ${timer}`),
    ];
    appendFileSync(join(dir, `worker-${process.pid}.txt`), `${lines.join('\n')}\n`);
  };

  const onMessage = (message) => {
    if (!Array.isArray(message)) return;
    if (message[0] === CALL) lastFile = message[3]?.[0]?.path ?? lastFile;
    if (message[0] !== END) return;
    // A 'message' listener keeps the IPC channel, and so the worker, alive: let go of it.
    process.removeListener('message', onMessage);
    for (const afterMs of [1000, 4000]) setTimeout(() => report(afterMs), afterMs).unref();
  };
  process.on('message', onMessage);
}
