import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment';
import { requestIdFor } from './request-id';

/** Paths whose successful requests are not logged: probes every few seconds are noise. */
const QUIET_WHEN_OK = /^\/(health|metrics)(\/|\?|$)/;

/** Request headers whose values never reach a log line. */
export const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
export const REDACTED = '[redacted]';

/**
 * The request headers as logged: a shallow copy with credentials masked. Done here rather than
 * with pino's `redact` paths, which deep-clone the whole log object on every line: this runs once
 * per request, on the hot path.
 */
export function loggableHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in headers) out[name] = REDACTED_HEADERS.has(name) ? REDACTED : headers[name];
  return out;
}

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
                  headers: Record<string, unknown>;
                  remoteAddress?: string;
                }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                  headers: loggableHeaders(req.headers),
                  remoteAddress: req.remoteAddress,
                }),
                // Only the status: response headers hold nothing an operator needs per request.
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
            },
          }),
        }),
      ],
    };
  }
}
