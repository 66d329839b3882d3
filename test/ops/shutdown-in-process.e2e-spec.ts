import { GracefulShutdown, LifecycleState } from '../../src/core/ops/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';

describe('shutdown sequence on the real app, in process', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** One keep-alive GET, answering its status and Connection header (fetch shows neither). */
  async function get(path: string) {
    const res = await app.http.overSocket('GET', path, { connection: 'keep-alive' });
    return { status: res.status, connection: res.headers.connection };
  }

  it('keeps connections alive normally, closes them once shutting down, and exits 0 after closing', async () => {
    expect(await get('/health/live')).toEqual({
      status: 200,
      connection: 'keep-alive',
    });
    const exits: number[] = [];
    const lines: string[] = [];
    const shutdown = new GracefulShutdown(
      {
        // The adapter's close() is typed `any`; Fastify's returns a promise, awaited here.
        closeListener: async () => {
          await app.nest.getHttpAdapter().close();
        },
        close: () => app.nest.close(),
      },
      app.get(LifecycleState),
      { info: (m) => lines.push(m), error: (m) => lines.push(m) },
      { drainDelayMs: 300, timeoutMs: 5000 },
      (code) => exits.push(code),
    );
    const done = shutdown.handle('SIGTERM');
    expect(await get('/health/ready')).toEqual({
      status: 503,
      connection: 'close',
    });
    expect(await get('/health/live')).toEqual({
      status: 200,
      connection: 'close',
    });
    await done;
    expect(exits).toEqual([0]);
    await expect(get('/health/live')).rejects.toThrow();
    expect(lines).toHaveLength(4);
  });
});
