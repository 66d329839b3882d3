import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app.config';
import { createRootLogger, stdoutDestination, TURN_BUFFER_BYTES } from './logging.module';

describe('stdoutDestination', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stdout-destination-'));
    file = join(dir, 'out.log');
    fd = openSync(file, 'a');
  });

  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  const written = () => readFileSync(file, 'utf8');
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('writes the lines of one event-loop turn together, at the end of that turn', async () => {
    const out = stdoutDestination(fd);
    out.write('one\n');
    out.write('two\n');
    expect(written()).toBe('');
    await turn();
    expect(written()).toBe('one\ntwo\n');
    out.write('three\n');
    await turn();
    expect(written()).toBe('one\ntwo\nthree\n');
  });

  it('does not hold more than its buffer within a turn', () => {
    const out = stdoutDestination(fd);
    const line = `${'x'.repeat(999)}\n`;
    for (let i = 0; i <= TURN_BUFFER_BYTES / line.length; i++) out.write(line);
    expect(written().length).toBeGreaterThanOrEqual(TURN_BUFFER_BYTES);
    out.flush();
  });

  it('writes what it holds when flushed (the app closing), and says so', () => {
    const out = stdoutDestination(fd);
    out.write('last words\n');
    const done = jest.fn();
    out.flush(done);
    expect(written()).toBe('last words\n');
    expect(done).toHaveBeenCalled();
  });

  it('writes what a turn still holds when the process exits', () => {
    const out = stdoutDestination(fd);
    out.write('exit 0\n');
    const atExit = process.listeners('exit').find((listener) => listener.name === 'flushAllAtExit');
    atExit?.(0);
    expect(written()).toBe('exit 0\n');
    out.flush();
  });

  it("is the root logger's destination: JSON lines at the configured level", async () => {
    const env = { NODE_ENV: 'production', LOG_LEVEL: 'info' } as AppConfig;
    const logger = createRootLogger(env, stdoutDestination(fd));
    logger.debug('not written');
    logger.info({ port: 3000 }, 'listening');
    await turn();
    expect(JSON.parse(written())).toMatchObject({ level: 30, port: 3000, msg: 'listening' });
  });
});
