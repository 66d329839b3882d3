// A port nobody listens on right now, on loopback. CommonJS so that pgbouncer.cjs (required by
// jest) and the .mjs scripts share it.
'use strict';
const { createServer } = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

module.exports = { freePort };
