import pino, { Logger } from 'pino';
import type { AppConfig } from '../config/app.config';

/** The injection token of the process's one pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** More than this much logged within one turn is written at once. */
export const LOG_BUFFER_CHARS = 64 * 1024;

type Destination = ReturnType<typeof pino.destination>;
const open = new Set<BufferedStdout>();
let flushOnExit = false;

/**
 * stdout, written once per turn of the event loop: the lines logged while the loop handles one
 * batch of I/O events (under load, the responses of many requests) go out in one write, at the
 * end of that turn (setImmediate), instead of one write per line. When idle, a line still goes
 * out at once. Measured on this project's 2-core VM, a write per line cost about 20 µs per
 * request whether synchronous or on libuv's thread pool (pino's `sync: false`).
 *
 * The lines of a turn are kept as an array and joined once: sonic-boom's own buffering
 * (`minLength`) measures the whole pending buffer on every line, which cost more than the write
 * it saved. The write itself is sonic-boom's (synchronous, as pino's default; it retries EAGAIN
 * and survives EPIPE), so nothing is held beyond the current turn, and what a turn had not written
 * when the process exits is written then.
 */
export class BufferedStdout {
  private readonly stream: Destination;
  private pending: string[] = [];
  private pendingChars = 0;
  private endOfTurnFlush: NodeJS.Immediate | undefined;

  constructor(fd = 1) {
    this.stream = pino.destination({ dest: fd, sync: true });
    open.add(this);
    if (!flushOnExit) {
      flushOnExit = true;
      process.on('exit', () => open.forEach((stdout) => stdout.flushQuietly()));
    }
  }

  /** pino's destination interface: one serialized line. */
  write(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= LOG_BUFFER_CHARS) this.flush();
    else this.endOfTurnFlush ??= setImmediate(this.endOfTurn);
  }

  private readonly endOfTurn = (): void => {
    this.endOfTurnFlush = undefined;
    this.flush();
  };

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.stream.write(text);
  }

  /** Writes what is pending now (app shutdown); lines logged later still go out per turn. */
  close(): void {
    if (this.endOfTurnFlush) clearImmediate(this.endOfTurnFlush);
    this.endOfTurnFlush = undefined;
    this.flushQuietly();
  }

  /** At exit nothing can be done about a stdout that is gone; the exit itself must go on. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch {
      // EPIPE, EBADF: nobody is reading any more.
    }
  }
}

/**
 * The one pino logger of the process: Nest's own lines, our services' lines and the request
 * lines all go through it, as JSON lines on stdout (pretty only when NODE_ENV=development;
 * `pino-pretty` is a dev dependency, so production never loads it).
 */
export function createRootLogger(env: AppConfig, stdout: BufferedStdout): Logger {
  if (env.NODE_ENV === 'development') {
    return pino({
      level: env.LOG_LEVEL,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  return pino({ level: env.LOG_LEVEL }, stdout);
}
