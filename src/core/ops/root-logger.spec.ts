import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferedStdout, LOG_BUFFER_CHARS } from './root-logger';

describe('BufferedStdout', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'buffered-stdout-'));
    file = join(dir, 'out.log');
    fd = openSync(file, 'a');
  });

  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('writes the lines of one event-loop turn together, at the end of that turn', async () => {
    const out = new BufferedStdout(fd);
    out.write('one\n');
    out.write('two\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    await turn();
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    out.write('three\n');
    await turn();
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
    out.close();
  });

  it('does not hold more than its buffer within a turn', () => {
    const out = new BufferedStdout(fd);
    const line = `${'x'.repeat(999)}\n`;
    for (let i = 0; i <= LOG_BUFFER_CHARS / line.length; i++) out.write(line);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
    out.close();
  });

  it('writes what is pending when closed', () => {
    const out = new BufferedStdout(fd);
    out.write('last words\n');
    out.close();
    expect(readFileSync(file, 'utf8')).toBe('last words\n');
  });
});
