import { request } from 'node:http';
import { LifecycleState } from '../../src/health/lifecycle.state';
import { GracefulShutdown } from '../../src/lifecycle/graceful-shutdown';
import { RunningApp, startTestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** One GET on a keep-alive agent-less socket, answering status and the Connection header. */
function get(url: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('shutdown sequence on the real app, in process', () => {
  let db: TestDatabase;
  let running: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    running = await startTestApp(db.env);
  });

  afterAll(async () => {
    await running?.close();
    await db?.drop();
  });

  it('keeps connections alive normally, closes them once shutting down, and exits 0 after closing', async () => {
    expect(await get(`${running.url}/health/live`)).toEqual({
      status: 200,
      connection: 'keep-alive',
    });
    const exits: number[] = [];
    const lines: string[] = [];
    const shutdown = new GracefulShutdown(
      {
        closeListener: () => running.app.getHttpAdapter().close(),
        close: () => running.app.close(),
      },
      running.app.get(LifecycleState),
      { log: (m) => lines.push(m), error: (m) => lines.push(m) },
      { drainDelayMs: 300, timeoutMs: 5000 },
      (code) => exits.push(code),
    );
    const done = shutdown.handle('SIGTERM');
    expect(await get(`${running.url}/health/ready`)).toEqual({ status: 503, connection: 'close' });
    expect(await get(`${running.url}/health/live`)).toEqual({ status: 200, connection: 'close' });
    await done;
    expect(exits).toEqual([0]);
    await expect(get(`${running.url}/health/live`)).rejects.toThrow();
    expect(lines).toHaveLength(4);
  });
});
