import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment';
import { requestIdFor } from './request-id';

/** Paths whose successful requests are not logged: probes every few seconds are noise. */
const QUIET_WHEN_OK = /^\/(health|metrics)(\/|\?|$)/;

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
];

/**
 * JSON lines to stdout (pretty only when NODE_ENV=development), one line per request with its id,
 * credentials redacted. `pino-pretty` is a dev dependency, so production never loads it.
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
        LoggerModule.forRootAsync({
          inject: [Environment],
          useFactory: (env: Environment) => ({
            forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
            pinoHttp: {
              level: env.LOG_LEVEL,
              transport:
                env.NODE_ENV === 'development'
                  ? {
                      target: 'pino-pretty',
                      options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
                    }
                  : undefined,
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              genReqId: (req: IncomingMessage) => requestIdFor(req),
              customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
                if (err || res.statusCode >= 500) return 'error';
                if (res.statusCode >= 400) return 'warn';
                return QUIET_WHEN_OK.test(req.url ?? '') ? 'silent' : 'info';
              },
              serializers: {
                req: (req: {
                  id: string;
                  method: string;
                  url: string;
                  headers: object;
                  remoteAddress?: string;
                }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                  headers: req.headers,
                  remoteAddress: req.remoteAddress,
                }),
              },
            },
          }),
        }),
      ],
    };
  }
}
