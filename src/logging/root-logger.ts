import pino, { Logger } from 'pino';
import type { Environment } from '../config/environment';

/** The injection token of the process's one pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The one pino logger of the process: Nest's own lines, our services' lines and the request
 * lines all go through it, as JSON lines on stdout (pretty only when NODE_ENV=development;
 * `pino-pretty` is a dev dependency, so production never loads it).
 *
 * The destination is asynchronous: lines written while a write is in flight are batched into the
 * next one, so under load the request log costs a write per batch, not a blocking write per
 * request. pino flushes what is pending when the process exits.
 */
export function createRootLogger(env: Environment): Logger {
  if (env.NODE_ENV === 'development') {
    return pino({
      level: env.LOG_LEVEL,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });
  }
  return pino({ level: env.LOG_LEVEL }, pino.destination({ dest: 1, sync: false }));
}
