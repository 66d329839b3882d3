// A port nobody listens on right now, on loopback, and whether one is listened on. CommonJS so that pgbouncer.cjs (required by
// jest) and the .mjs scripts share it.
'use strict';
const { connect, createServer } = require('node:net');

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

/** True once something accepts connections on 127.0.0.1:port (a child process we started). */
function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

module.exports = { canConnect, freePort };
