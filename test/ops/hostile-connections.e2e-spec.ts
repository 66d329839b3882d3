import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { LINGER_MAX_BYTES, LINGER_MS } from '../../src/core/http/connection-close.hook';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { bearer } from '../support/tokens';

// Issue 12's connection findings, against the built app in production mode, sockets opened by
// hand where fetch would read, wait or retry for us. Every loop is bounded in count and time.
// Timeouts as short as the configuration allows, so the bounds pass in seconds: the socket
// timeout is AUTH_JWKS_TIMEOUT_MS + the query deadline (statement timeout + 1 s) + 2 s = 4.1 s.
const SOCKET_TIMEOUT_MS = 100 + 1000 + 1000 + 2000;
const FAST_TIMEOUTS = {
  AUTH_JWKS_TIMEOUT_MS: '100',
  DATABASE_STATEMENT_TIMEOUT_MS: '1000',
  // A page the kernel takes whole is not Node's to hold: then the idle keep-alive timeout ends it.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '3000',
  RATE_LIMIT_ENABLED: 'false',
};
/** Node's check for a stalled write fires on the second silent period (net.Socket._onTimeout). */
const STALL_BOUND_MS = 2 * SOCKET_TIMEOUT_MS + 3000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection: what it received, and whether (and when) the server ended it. */
class RawConnection {
  readonly socket: Socket;
  received = Buffer.alloc(0);
  bytes = 0;
  closedAt: number | undefined;
  private readonly openedAt = Date.now();

  constructor(port: number, { keep = true, from = '127.0.0.1' } = {}) {
    this.socket = connect({ port, host: '127.0.0.1', localAddress: from });
    this.socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (keep && this.received.length < 65_536)
        this.received = Buffer.concat([this.received, chunk]);
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => (this.closedAt = Date.now() - this.openedAt));
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.socket.connecting) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  /** Resolves true once the server has closed the connection, false after `ms`. */
  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.closedAt === undefined && Date.now() < deadline) await sleep(50);
    return this.closedAt !== undefined;
  }

  async until(pattern: RegExp, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!pattern.test(this.text) && Date.now() < deadline) await sleep(20);
    return this.text;
  }
}

function rssMb(app: BuiltApp): number {
  const status = readFileSync(`/proc/${app.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

describe('hostile connections (built app, production mode)', () => {
  let db: TestDatabase;
  let app: BuiltApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBuiltApp({
      DATABASE_URL: db.url,
      // A heap like a 512 MiB pod's, less the rest of the process.
      NODE_OPTIONS: '--max-old-space-size=384',
      ...FAST_TIMEOUTS,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.kill();
    await db?.drop();
  });

  it('disconnects clients that stop reading a large page and frees what they held (finding 2)', async () => {
    // 500 tasks of 10,000 astral characters: a page of about 20 MB, more than the kernel's
    // buffers take, so Node holds the rest of each response in memory.
    await db.query(
      `INSERT INTO tasks (user_id, title, description)
       SELECT 'reader', 't' || n, repeat(U&'\\+01F600', 10000) FROM generate_series(1, 500) n`,
    );
    const auth = await bearer('reader');
    const request = `GET /api/reader/tasks?limit=500 HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n\r\n`;
    const before = rssMb(app);
    const readers: RawConnection[] = [];
    for (let i = 0; i < 16; i++) {
      const reader = new RawConnection(app.port, { keep: false });
      reader.socket.write(request);
      reader.socket.pause();
      readers.push(reader);
    }
    // Let the pages be built and stall; meanwhile another user is answered as usual.
    let peak = before;
    for (let i = 0; i < 12; i++) {
      await sleep(250);
      peak = Math.max(peak, rssMb(app));
    }
    const other = await (
      await app.http.asUser('other')
    ).get('/api/other/tasks', {
      timeoutMs: 3000,
    });
    expect(other.status).toBe(200);

    // Past the bound, a reader that comes back finds its connection gone, its page cut short.
    await sleep(STALL_BOUND_MS - 3000);
    for (const reader of readers) reader.socket.resume();
    const closed = await Promise.all(readers.map((reader) => reader.closedWithin(5000)));
    expect(closed.filter(Boolean)).toHaveLength(readers.length);
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT sum(octet_length(description))::text AS n FROM tasks WHERE user_id = 'reader'`,
    );
    const page = Number(n);
    // Cut short where Node still held part of the page (reset); a page the kernel's buffers took
    // whole arrives, and its idle connection is closed after it.
    const cut = readers.filter((reader) => reader.bytes < page).length;
    // What the stalled responses held is given back as the collector gets to it (before the fix
    // it stayed, 16 x 20 MB, for as long as the clients liked). RSS is a figure, not asserted:
    // when the heap shrinks is V8's business.
    await sleep(2000);
    const after = rssMb(app);
    process.stdout.write(
      `finding 2: 16 stalled readers of a ${(page / 1e6).toFixed(0)} MB page, all closed by the server (${cut} cut short): RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB stalled, ${after.toFixed(0)} MB after\n`,
    );
    expect(peak).toBeLessThan(512);
    expect(app.child.exitCode).toBeNull();
    expect((await app.http.get('/health/live')).status).toBe(200);
  }, 60_000);

  it('closes an unauthenticated slow body after its 401, reading at most a bounded rest (finding 3)', async () => {
    const slow = new RawConnection(app.port);
    slow.socket.write(
      'POST /api/alice/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{',
    );
    expect(await slow.until(/\r\n\r\n\{.*\}$/s)).toMatch(/^HTTP\/1\.1 401 /);
    expect(slow.text).toMatch(/\r\nconnection: close\r\n/i);
    // It lingers: the rest of the body is read and discarded for at most LINGER_MS.
    expect(await slow.closedWithin(LINGER_MS + 1000)).toBe(true);

    // A client that pushes 200 MB after the refusal: the server reads at most LINGER_MAX_BYTES.
    const flood = new RawConnection(app.port);
    await flood.ready();
    flood.socket.write(
      `POST /api/alice/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${200 * 2 ** 20}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(2 ** 20, 0x20);
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (sent < 200 * 2 ** 20 && flood.closedAt === undefined && Date.now() < deadline) {
      const drained = flood.socket.write(chunk);
      sent += chunk.length;
      if (!drained) {
        await Promise.race([
          new Promise((resolve) => flood.socket.once('drain', resolve)),
          flood.closedWithin(2000),
        ]);
      }
    }
    // (Its 401 may be lost: the reset that ends a client still sending can discard it. A client
    // that wants the answer sends `Expect: 100-continue`, below.)
    expect(await flood.closedWithin(2000)).toBe(true);
    // The lingering read and what the kernel's buffers took before the reset, not the body.
    expect(sent).toBeLessThan(LINGER_MAX_BYTES + 64 * 2 ** 20);
    process.stdout.write(
      `finding 3: after a 401, ${(sent / 2 ** 20).toFixed(0)} MB of a 200 MB body sent before the server closed\n`,
    );
  }, 30_000);

  it('answers 100 concurrent 2 MB bodies 413, each client reading it: none reset (finding 5)', async () => {
    const auth = await bearer('alice');
    const body = Buffer.alloc(2 * 2 ** 20, 0x20);
    // Like an HTTP client on a real network: it sends the whole body in chunks over a while,
    // even after the answer has come (allowHalfOpen), then reads the answer. Closing at once
    // resets these connections mid-body (EPIPE); lingering reads the rest.
    const post = async () => {
      const socket = connect({ port: app.port, host: '127.0.0.1', allowHalfOpen: true });
      let text = '';
      let error: string | undefined;
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(
        `POST /api/alice/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      for (let at = 0; at < body.length && error === undefined; at += 2 ** 16) {
        if (!socket.write(body.subarray(at, at + 2 ** 16))) {
          await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
        }
        await sleep(5);
      }
      socket.end();
      await Promise.race([closed, sleep(LINGER_MS + 10_000)]);
      socket.destroy();
      return { status: text.slice(0, 12), error };
    };
    const results = await Promise.all(Array.from({ length: 100 }, post));
    const failed = results.filter((r) => r.status !== 'HTTP/1.1 413' || r.error !== undefined);
    expect(failed).toEqual([]);
  }, 60_000);

  it('closes an authenticated body that stalls, and headers that trickle in (finding 3)', async () => {
    const auth = await bearer('alice');
    const stalled = new RawConnection(app.port);
    stalled.socket.write(
      `POST /api/alice/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":`,
    );
    expect(await stalled.closedWithin(SOCKET_TIMEOUT_MS + 3000)).toBe(true);
    // One header byte a second keeps the socket active; the headers timeout (10 s) still ends it.
    const trickle = new RawConnection(app.port);
    trickle.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const deadline = Date.now() + 16_000;
    while (trickle.closedAt === undefined && Date.now() < deadline) {
      trickle.socket.write('a');
      await sleep(1000);
    }
    expect(trickle.closedAt).toBeDefined();
    expect(trickle.closedAt).toBeLessThan(14_000);
    expect(trickle.text).toBe('');
  }, 40_000);

  it('answers Expect: 100-continue only after authentication (item 9)', async () => {
    const head = (auth: string) =>
      `POST /api/alice/tasks HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 13\r\nExpect: 100-continue\r\n\r\n`;
    const refused = new RawConnection(app.port);
    refused.socket.write(head(''));
    expect(await refused.until(/\r\n\r\n\{.*\}$/s)).toMatch(/^HTTP\/1\.1 401 /);
    expect(refused.text).not.toContain('100 Continue');

    const admitted = new RawConnection(app.port);
    admitted.socket.write(head(`Authorization: ${await bearer('alice')}\r\n`));
    expect(await admitted.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/)).toMatch(
      /^HTTP\/1\.1 100 Continue\r\n\r\n$/,
    );
    admitted.socket.write('{"title":"x"}');
    expect(await admitted.until(/HTTP\/1\.1 201 /)).toMatch(/HTTP\/1\.1 201 /);
    admitted.socket.destroy();
  });

  it('serves /metrics on its own port only, with a liveness answer there (finding 5)', async () => {
    expect((await app.http.raw('GET', '/metrics')).status).toBe(404);
    const metrics = await app.metrics.raw('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('http_requests_total');
    expect((await app.metrics.raw('GET', '/health/live')).status).toBe(200);
  });

  it('answers what the router and the HTTP parser refuse in the contract format (finding 8)', async () => {
    const res = await app.http.get('/api/%zz/tasks');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'The URL is not validly encoded',
      detail: 'The URL is not validly encoded',
      details: {},
      request_id: res.headers.get('x-request-id'),
    });
    expect(res.text).not.toContain('%zz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    await sleep(200);
    const line = app.logs().find((l) => (l.req as { id?: string })?.id === res.body.request_id);
    expect(line?.res).toEqual({ statusCode: 400 });
    const scrape = (await app.metrics.raw('GET', '/metrics')).text;
    expect(scrape).toMatch(/http_requests_total\{route="unmatched",method="GET",status="400"\} 1/);

    const badLine = new RawConnection(app.port);
    badLine.socket.write('GET /a b c HTTP/1.1\r\n\r\n');
    const text = await badLine.until(/\r\n\r\n\{.*\}$/s);
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(text).toMatch(/\r\nx-content-type-options: nosniff\r\n/);
    const body = JSON.parse(text.split('\r\n\r\n')[1]) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['code', 'message', 'detail', 'details', 'request_id']);
    expect(body.code).toBe('VALIDATION_ERROR');
    expect(await badLine.closedWithin(2000)).toBe(true);
  });

  it('keeps a log line bounded whatever the URL and headers (finding 7)', async () => {
    const url = `/api/alice/tasks?${'q'.repeat(7800)}`;
    const ua = 'M'.repeat(4000);
    const res = await app.http.get(url, {
      headers: { 'user-agent': ua, referer: `https://x.example/${ua}`, 'x-request-id': 'long-log' },
    });
    expect(res.status).toBe(401);
    await sleep(200);
    const line = app
      .stdout()
      .split('\n')
      .find((l) => l.includes('"id":"long-log"'));
    expect(line).toContain('…[truncated ');
    expect(line!.length).toBeLessThan(2500);
    process.stdout.write(
      `finding 7: a 7.8 KB URL + 4 KB user-agent + 4 KB referer: ${line!.length}-byte log line\n`,
    );
  });
});

describe('a connection cap (finding 3)', () => {
  let db: TestDatabase;
  let app: BuiltApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBuiltApp({
      DATABASE_URL: db.url,
      HTTP_MAX_CONNECTIONS: '20',
      ...FAST_TIMEOUTS,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.kill();
    await db?.drop();
  });

  it('refuses connections past the cap while liveness keeps answering, then serves again', async () => {
    const idle: RawConnection[] = [];
    for (let i = 0; i < 30; i++) idle.push(new RawConnection(app.port));
    await Promise.all(idle.map((c) => c.ready().catch(() => undefined)));
    await sleep(500);
    // Past the cap, Node closes a connection as soon as it is accepted.
    expect(idle.filter((c) => c.closedAt !== undefined).length).toBeGreaterThanOrEqual(10);
    // A new connection (fetch would reuse the one it kept from the start) is closed too.
    await expect(app.http.overSocket('GET', '/health/live')).rejects.toThrow();
    // The liveness probe asks the metrics listener, which the flood does not fill.
    expect((await app.metrics.raw('GET', '/health/live')).status).toBe(200);
    // The idle ones time out (they never sent a request), and the port serves again.
    const closed = await Promise.all(idle.map((c) => c.closedWithin(SOCKET_TIMEOUT_MS + 3000)));
    expect(closed.every(Boolean)).toBe(true);
    expect((await app.http.get('/health/live')).status).toBe(200);
  }, 30_000);

  it('gives one address at most half the cap: another address is still served', async () => {
    const live = 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n';
    const mine: RawConnection[] = [];
    // 127.0.0.5: not the address this file's fetch client keeps connections from.
    for (let i = 0; i < 10; i++) mine.push(new RawConnection(app.port, { from: '127.0.0.5' }));
    await Promise.all(mine.map((c) => c.ready()));
    for (const c of mine) c.socket.write(live);
    for (const c of mine) expect(await c.until(/"status":"ok"/)).toMatch(/^HTTP\/1\.1 200/);
    // The 11th from the same address is closed on accept; the first ten are kept alive.
    const eleventh = new RawConnection(app.port, { from: '127.0.0.5' });
    expect(await eleventh.closedWithin(2000)).toBe(true);
    expect(mine.every((c) => c.closedAt === undefined)).toBe(true);
    const other = new RawConnection(app.port, { from: '127.0.0.7' });
    await other.ready();
    other.socket.write(live);
    expect(await other.until(/^HTTP\/1\.1 200/)).toMatch(/^HTTP\/1\.1 200/);
    for (const c of [...mine, other]) c.socket.destroy();
    // Once they are gone, the address is served again.
    await sleep(200);
    const again = new RawConnection(app.port, { from: '127.0.0.5' });
    await again.ready();
    again.socket.write(live);
    expect(await again.until(/^HTTP\/1\.1 200/)).toMatch(/^HTTP\/1\.1 200/);
    again.socket.destroy();
  }, 30_000);
});
