import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A JWKS endpoint on 127.0.0.1 whose keys and health a test can change at will. */
export interface JwksServer {
  url: string;
  keys: JWK[];
  /** When set, every answer has this status and no key set. */
  failWith?: number;
  /** When set, every answer is exactly this (a body too large, not JSON, a redirect…). */
  answer?: { status: number; body: string; headers?: Record<string, string> };
  /** When true, requests are accepted and never answered (a JWKS that hangs). */
  silent?: boolean;
  /** How many times the key set was fetched. */
  fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[] = []): Promise<JwksServer> {
  const state: Omit<JwksServer, 'url' | 'close'> = { keys, fetches: 0 };
  const server: Server = createServer((req, res) => {
    state.fetches += 1;
    if (state.silent) return;
    if (state.answer !== undefined) {
      res.writeHead(state.answer.status, state.answer.headers).end(state.answer.body);
      return;
    }
    if (state.failWith !== undefined) {
      res.writeHead(state.failWith, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}

/** A URL on 127.0.0.1 where nothing listens (a server was bound there and closed). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/jwks.json`;
}
