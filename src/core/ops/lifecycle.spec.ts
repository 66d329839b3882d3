import { EventEmitter } from 'node:events';
import { Closable, GracefulShutdown, LifecycleState, ShutdownLogger } from './lifecycle';

function setup(
  close: Closable['close'],
  options = { drainDelayMs: 50, timeoutMs: 200 },
  closeListener?: Closable['closeListener'],
) {
  const lifecycle = new LifecycleState();
  const lines: string[] = [];
  const logger: ShutdownLogger = {
    info: (m) => lines.push(`info ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  const exits: number[] = [];
  const shutdown = new GracefulShutdown({ close, closeListener }, lifecycle, logger, options, (c) =>
    exits.push(c),
  );
  return { lifecycle, lines, exits, shutdown };
}

describe('GracefulShutdown', () => {
  it('flips readiness at once, drains, closes and exits 0, logging each step', async () => {
    const close = jest.fn().mockResolvedValue(undefined);
    const { lifecycle, lines, exits, shutdown } = setup(close);
    const started = performance.now();
    const done = shutdown.handle('SIGTERM');
    expect(lifecycle.isShuttingDown).toBe(true);
    expect(close).not.toHaveBeenCalled();
    await done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(close).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([0]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^info SIGTERM received: readiness now 503/);
    expect(lines[1]).toMatch(/drain delay over/);
    expect(lines[2]).toMatch(/exit 0$/);
  });

  it('closes the listener first, then the rest, logging both', async () => {
    const order: string[] = [];
    const close = jest.fn(() => Promise.resolve(void order.push('app')));
    const closeListener = jest.fn(() => Promise.resolve(void order.push('listener')));
    const { lines, exits, shutdown } = setup(
      close,
      { drainDelayMs: 0, timeoutMs: 1000 },
      closeListener,
    );
    await shutdown.handle('SIGINT');
    expect(order).toEqual(['listener', 'app']);
    expect(exits).toEqual([0]);
    expect(lines[2]).toMatch(/listener closed, in-flight requests done after \d+ ms/);
    expect(lines[3]).toMatch(/database pool closed after \d+ ms: exit 0$/);
  });

  it('forces exit 1 on a second signal, and does not close afterwards', async () => {
    const close = jest.fn().mockResolvedValue(undefined);
    const { lines, exits, shutdown } = setup(close);
    const first = shutdown.handle('SIGTERM');
    await shutdown.handle('SIGINT');
    await first;
    expect(exits).toEqual([1]);
    expect(close).not.toHaveBeenCalled();
    expect(lines.some((l) => /SIGINT received again/.test(l))).toBe(true);
  });

  it('forces exit 1 when closing outlasts the timeout', async () => {
    let release: () => void = () => undefined;
    const close = jest.fn(() => new Promise<void>((r) => (release = r)));
    const { lines, exits, shutdown } = setup(close, { drainDelayMs: 0, timeoutMs: 50 });
    const done = shutdown.handle('SIGTERM');
    // The timer fires while close() still hangs (polled: a loaded machine may run it late).
    while (exits.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(exits).toEqual([1]);
    expect(lines.some((l) => /timeout of 50 ms reached/.test(l))).toBe(true);
    release();
    await done;
    expect(exits).toEqual([1]);
  });

  it('exits 1 when closing fails', async () => {
    const close = jest.fn().mockRejectedValue(new Error('pool end failed'));
    const { lines, exits, shutdown } = setup(close, { drainDelayMs: 0, timeoutMs: 1000 });
    await shutdown.handle('SIGTERM');
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toMatch(/shutdown failed: pool end failed/);
  });

  it('says what a non-Error failure was', async () => {
    const close = jest.fn().mockRejectedValue('boom');
    const { lines, exits, shutdown } = setup(close, { drainDelayMs: 0, timeoutMs: 1000 });
    await shutdown.handle('SIGTERM');
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toMatch(/shutdown failed: boom; exit 1/);
  });

  it('installs on the process by default, and uninstalls', () => {
    const { shutdown } = setup(jest.fn());
    const before = process.listenerCount('SIGTERM');
    const uninstall = shutdown.install();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('installs handlers for SIGTERM and SIGINT and removes them', async () => {
    const close = jest.fn().mockResolvedValue(undefined);
    const { exits, shutdown } = setup(close, { drainDelayMs: 0, timeoutMs: 1000 });
    const target = new EventEmitter();
    const uninstall = shutdown.install(target);
    expect(target.listenerCount('SIGTERM')).toBe(1);
    expect(target.listenerCount('SIGINT')).toBe(1);
    target.emit('SIGINT', 'SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    expect(exits).toEqual([0]);
    uninstall();
    expect(target.listenerCount('SIGTERM')).toBe(0);
  });
});
