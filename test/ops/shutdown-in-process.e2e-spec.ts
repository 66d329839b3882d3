import { request } from 'node:http';
import { LifecycleState } from '../../src/health/lifecycle.state';
import { GracefulShutdown } from '../../src/lifecycle/graceful-shutdown';
import { useAppOnFreshDatabase } from '../support/test-app';

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
  const app = useAppOnFreshDatabase();

  it('keeps connections alive normally, closes them once shutting down, and exits 0 after closing', async () => {
    expect(await get(`${app.running.url}/health/live`)).toEqual({
      status: 200,
      connection: 'keep-alive',
    });
    const exits: number[] = [];
    const lines: string[] = [];
    const shutdown = new GracefulShutdown(
      {
        closeListener: () => app.running.app.getHttpAdapter().close(),
        close: () => app.running.app.close(),
      },
      app.running.app.get(LifecycleState),
      { info: (m) => lines.push(m), error: (m) => lines.push(m) },
      { drainDelayMs: 300, timeoutMs: 5000 },
      (code) => exits.push(code),
    );
    const done = shutdown.handle('SIGTERM');
    expect(await get(`${app.running.url}/health/ready`)).toEqual({
      status: 503,
      connection: 'close',
    });
    expect(await get(`${app.running.url}/health/live`)).toEqual({
      status: 200,
      connection: 'close',
    });
    await done;
    expect(exits).toEqual([0]);
    await expect(get(`${app.running.url}/health/live`)).rejects.toThrow();
    expect(lines).toHaveLength(4);
  });
});
