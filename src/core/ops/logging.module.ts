import {
  DynamicModule,
  Inject,
  INestApplicationContext,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app.config';
import { RequestLogHook } from './request-log.hook';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

/** Makes the root logger injectable, and writes out what it holds when the app closes. */
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [AppConfig],
      useFactory: (env: AppConfig) => createRootLogger(env),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule implements OnApplicationShutdown {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  onApplicationShutdown(): void {
    this.logger.flush();
  }
}

/**
 * One way to log: pino's API (`info(fields, message)`) on a `PinoLogger` that carries its
 * context, injected with `@InjectPinoLogger('Context')`; code outside a provider (main.ts) takes
 * one with `contextLogger`. nestjs-pino's `Logger` carries Nest's own lines. All of them write
 * through the root logger. Request lines are RequestLogHook's: `forRoutes: []` mounts none of
 * nestjs-pino's middleware.
 */
@Module({})
export class LoggingModule {
  /** A function: nestjs-pino registers what `@InjectPinoLogger` asked for once every class is loaded. */
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

/** The logger `@InjectPinoLogger(context)` would give, for code that is not a provider. */
export async function contextLogger(
  app: INestApplicationContext,
  context: string,
): Promise<PinoLogger> {
  const logger = await app.resolve(PinoLogger);
  logger.setContext(context);
  return logger;
}
