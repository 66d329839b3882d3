import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpConfig } from './http.config';

/**
 * How long a connection may take over each phase, and how many the process holds at once
 * (docs/operations.md, "Connections"). Each bound releases what a client that stops half-way
 * holds: a file descriptor, the parser, and for a client that stops reading, the whole response.
 */

/** All request headers, from the first byte of the request: a real client sends them at once. */
export const HEADERS_TIMEOUT_MS = 10_000;

/**
 * The whole request, body included (at most 64 KiB, so 30 s is 2 KiB/s): a slow body is cut off
 * here even when it trickles in fast enough to keep the socket active. Must exceed the headers'.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * How often Node checks the two timeouts above (its default, 30 s, would let a connection that
 * never sends a header live 40 s). One pass over the open connections per interval.
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 2_000;

/**
 * A response this large is more than the kernel's buffers take at once, so its client must read
 * for it to be written; below it, a client that does not read costs the process nothing.
 */
export const LARGE_RESPONSE_CHARS = 64 * 1024;

/**
 * Silence allowed while a large response is being written: the server has nothing left to think
 * about, so silence now means the client stopped reading. A client that reads slowly keeps the
 * write moving and is never cut. At most the socket timeout.
 */
export const WRITE_STALL_TIMEOUT_MS = 5_000;

export function writeStallTimeoutMs(env: HttpConfig): number {
  return Math.min(WRITE_STALL_TIMEOUT_MS, env.socketTimeoutMs);
}

/** The timeouts as Fastify's server options (and Node's, under `http`). */
export function connectionTimeouts(env: HttpConfig) {
  return {
    connectionTimeout: env.socketTimeoutMs,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
  };
}

/**
 * What the API port holds: at most HTTP_MAX_CONNECTIONS connections (0 = no cap). Past it, Node
 * closes a new connection as soon as it is accepted, so a flood of connections is refused before
 * the process runs out of file descriptors, which the database pool, the log and the metrics
 * port (where the liveness probe asks) need as well.
 *
 * And how a silent connection ends. With this listener Node no longer destroys the socket itself:
 * one that still holds unsent bytes has a client that stopped reading, and is reset (RST), which
 * frees the kernel's send buffer at once; a plain close would leave the kernel trying to deliver
 * them for minutes. Any other silent connection (idle keep-alive, a request that never came) is
 * closed normally.
 */
export function holdConnections(server: Server, env: HttpConfig): void {
  if (env.HTTP_MAX_CONNECTIONS > 0) server.maxConnections = env.HTTP_MAX_CONNECTIONS;
  server.on('timeout', endSilentConnection);
}

export function endSilentConnection(socket: Socket): void {
  if (socket.writableLength > 0) socket.resetAndDestroy();
  else socket.destroy();
}
