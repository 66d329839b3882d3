import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app.config';
import { RequestLogHook } from './request-log.hook';
import { BufferedStdout, createRootLogger, ROOT_LOGGER } from './root-logger';

/**
 * Makes the process's root logger injectable, for LoggerModule's factory, and writes out what
 * its buffer holds when the app closes.
 */
@Module({
  providers: [
    { provide: BufferedStdout, useFactory: () => new BufferedStdout() },
    { provide: ROOT_LOGGER, inject: [AppConfig, BufferedStdout], useFactory: createRootLogger },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule implements OnApplicationShutdown {
  constructor(private readonly stdout: BufferedStdout) {}

  onApplicationShutdown(): void {
    this.stdout.close();
  }
}

/**
 * One way to log: pino's API (`info(fields, message)`) on a `PinoLogger` that carries its
 * context, injected with `@InjectPinoLogger('Context')`; code outside a provider (main.ts) takes
 * one with `contextLogger`. nestjs-pino's `Logger` carries Nest's own lines. All of them write
 * through the root logger. Request lines are not nestjs-pino's: `forRoutes: []` mounts none of its
 * middleware, and RequestLogHook writes them from a Fastify hook.
 */
@Module({})
export class LoggingModule {
  /**
   * A function, not a static decorator argument: nestjs-pino registers the loggers that
   * `@InjectPinoLogger` asks for when this runs, so it must run after every class is loaded.
   */
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        RootLoggerModule,
        LoggerModule.forRootAsync({
          imports: [RootLoggerModule],
          inject: [ROOT_LOGGER],
          useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
        }),
      ],
      providers: [RequestLogHook],
      exports: [RequestLogHook],
    };
  }
}
