import pino, { DestinationStream, Logger } from 'pino';
import type { AppConfig } from '../config/app.config';

/** The injection token of the process's one pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Lines logged within one event-loop turn are held up to this size, then written at once. */
export const TURN_BUFFER_BYTES = 8 * 1024;

type SonicBoom = ReturnType<typeof pino.destination>;
const unflushed = new Set<SonicBoom>();

/**
 * pino's own destination (sonic-boom, synchronous writes) holding the lines of one turn of the
 * event loop and writing them together at its end: one write per batch of requests under load,
 * a line at once when idle. Lines a turn still holds when the process exits are written then.
 */
export function stdoutDestination(fd = 1): DestinationStream & { flush(done?: () => void): void } {
  const stream = pino.destination({ dest: fd, sync: true, minLength: TURN_BUFFER_BYTES });
  if (unflushed.size === 0) process.once('exit', flushAllAtExit);
  unflushed.add(stream);
  let endOfTurn: NodeJS.Immediate | undefined;
  const flush = (done?: () => void) => {
    clearImmediate(endOfTurn);
    endOfTurn = undefined;
    stream.flush();
    done?.();
  };
  return {
    write(line: string) {
      stream.write(line);
      endOfTurn ??= setImmediate(flush);
    },
    flush,
  };
}

function flushAllAtExit(): void {
  for (const stream of unflushed) {
    try {
      stream.flushSync();
    } catch {
      // stdout is gone (EPIPE, EBADF): the exit itself must go on.
    }
  }
  unflushed.clear();
}

/**
 * The one pino logger of the process: Nest's own lines, our services' lines and the request
 * lines all go through it, as JSON lines on stdout (pretty only when NODE_ENV=development;
 * `pino-pretty` is a dev dependency, so production never loads it).
 */
export function createRootLogger(env: AppConfig, destination?: DestinationStream): Logger {
  if (env.NODE_ENV === 'development') {
    return pino({
      level: env.LOG_LEVEL,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  return pino({ level: env.LOG_LEVEL }, destination ?? stdoutDestination());
}
