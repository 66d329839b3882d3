import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import { AppConfig } from '../config/app.config';
import { traceLogFields } from './tracing';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Lines logged within one event-loop turn are held up to this size, then written at once. */
export const TURN_BUFFER_BYTES = 8 * 1024;

type SonicBoom = ReturnType<typeof pino.destination>;
const unflushed = new Set<SonicBoom>();

/** pino's sonic-boom, written at the end of each event-loop turn: one write per batch under load. */
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

/** JSON lines on stdout; pretty in development only (`pino-pretty` is a dev dependency). */
export function createRootLogger(env: AppConfig, destination?: DestinationStream): Logger {
  const options = { level: env.LOG_LEVEL, mixin: traceLogFields };
  if (env.NODE_ENV !== 'development') return pino(options, destination ?? stdoutDestination());
  const pretty = { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' };
  return pino({ ...options, transport: { target: 'pino-pretty', options: pretty } });
}

/**
 * One way to log: `@InjectPinoLogger('Context')`; outside a provider, ROOT_LOGGER's child with that
 * `context` (the same line). Request lines are RequestLogHook's: `forRoutes: []` mounts none of
 * nestjs-pino's middleware. A function: nestjs-pino registers what `@InjectPinoLogger` asked for
 * once every class is loaded.
 */
export function loggingModule(): DynamicModule {
  return LoggerModule.forRootAsync({
    providers: [{ provide: ROOT_LOGGER, inject: [AppConfig], useFactory: createRootLogger }],
    inject: [ROOT_LOGGER],
    useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
  });
}
