import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { compile } from '@fastify/proxy-addr';
import { addressKey, trustProxyOption } from './client-address';
import type { HttpConfig } from './http.config';

// Each phase of a connection is bounded, so a client that stops half-way frees what it holds
// (docs/operations.md, "Connections").
export const HEADERS_TIMEOUT_MS = 10_000;

/** The whole request, body included (64 KiB in 30 s is 2 KiB/s); above the headers' timeout. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** How often Node checks the two above (its 30 s default lets a silent connection live 40 s). */
export const TIMEOUT_CHECK_INTERVAL_MS = 2_000;

/** Larger than the kernel's buffers take at once: its client must read for it to be written. */
export const LARGE_RESPONSE_CHARS = 64 * 1024;

/** Silence while a large response is written means the client stopped reading; slow is fine. */
export const WRITE_STALL_TIMEOUT_MS = 5_000;

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

/** The connection caps (a trusted proxy speaks for many: no share); silent ones are ended. */
export function holdConnections(server: Server, env: HttpConfig): void {
  if (env.HTTP_MAX_CONNECTIONS > 0) server.maxConnections = env.HTTP_MAX_CONNECTIONS;
  server.on('timeout', endSilentConnection);
  const share = env.connectionsPerAddress;
  if (share === 0) return;
  const proxies = trustProxyOption(env.TRUSTED_PROXIES);
  const trusted = proxies ? compile(proxies) : () => false;
  const held = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (trusted(address, 0)) return;
    const key = addressKey(address);
    const count = (held.get(key) ?? 0) + 1;
    if (count > share) return void socket.destroy();
    held.set(key, count);
    socket.once('close', () => {
      const left = held.get(key)! - 1;
      if (left === 0) held.delete(key);
      else held.set(key, left);
    });
  });
}

/** A reset frees the unsent bytes of a client that stopped reading at once. */
export function endSilentConnection(socket: Socket): void {
  if (socket.writableLength > 0) socket.resetAndDestroy();
  else socket.destroy();
}
