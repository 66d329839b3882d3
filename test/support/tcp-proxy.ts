import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server, to cut the app's database link the
 * ways a network does:
 * - `refuse()`: the listener closes and every open connection is reset (server gone, port closed);
 * - `blackhole()`: packets vanish. Connections stay open and new ones are accepted, but no byte
 *   moves either way (sockets are paused, so bytes wait in the buffers as TCP would retransmit
 *   them later); nothing errors, nothing answers;
 * - `restore()`: forwarding resumes, buffered bytes flow, the listener reopens on the same port.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  private mode: 'forward' | 'blackhole' | 'refuse' = 'forward';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** `url` with its host and port replaced by the proxy's (after `listen()`). */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Open client connections (for assertions and to bound the test). */
  get connections(): number {
    return this.pairs.size;
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, upstream: undefined };
    this.pairs.add(pair);
    client.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    if (this.mode === 'blackhole') client.pause();
    else this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const pair of this.pairs) {
      if (pair.upstream) {
        pair.client.unpipe(pair.upstream);
        pair.upstream.unpipe(pair.client);
        pair.upstream.pause();
      }
      pair.client.pause();
    }
  }

  async refuse(): Promise<void> {
    this.mode = 'refuse';
    const server = this.server;
    this.server = undefined;
    for (const pair of [...this.pairs]) {
      pair.client.resetAndDestroy();
      pair.upstream?.resetAndDestroy();
      this.pairs.delete(pair);
    }
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    const was = this.mode;
    this.mode = 'forward';
    if (was === 'refuse' && !this.server) await this.listen();
    for (const pair of this.pairs) {
      if (pair.upstream) {
        pair.client.pipe(pair.upstream);
        pair.upstream.pipe(pair.client);
      } else {
        this.connectUpstream(pair);
      }
    }
  }

  async close(): Promise<void> {
    await this.refuse();
  }
}

/** Accepts TCP connections and never says a word: a database host that hangs. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on (connections to it are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A listening proxy in front of the server of `databaseUrl`; `proxy.urlFor(databaseUrl)` goes through it. */
export async function proxyInFrontOf(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.listen();
  return proxy;
}
