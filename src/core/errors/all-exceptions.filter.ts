import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataLayerError } from '../database/pg-errors';
import { errorBody, toErrorResponse } from './error-response';

/** A failure's cause is logged at most once per this interval, whatever the number of requests. */
export const ERROR_LOG_INTERVAL_MS = 10_000;
/** Causes remembered at once; past it the memory starts over. */
const MAX_CAUSES = 256;

/** At most one line per cause per interval; `admit` says how many were left out before it. */
export class LogLimiter {
  private readonly last = new Map<string, { at: number; skipped: number }>();

  admit(cause: string, now = Date.now()): number | undefined {
    const seen = this.last.get(cause);
    if (seen && now - seen.at < ERROR_LOG_INTERVAL_MS) {
      seen.skipped += 1;
      return undefined;
    }
    if (!seen && this.last.size >= MAX_CAUSES) this.last.clear();
    this.last.set(cause, { at: now, skipped: 0 });
    return seen?.skipped ?? 0;
  }
}

/** Every failure as the contract's error body; a 5xx logged once per cause (a 503 stackless). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly limiter = new LogLimiter();

  constructor(@InjectPinoLogger('Errors') private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception);
    if (response.status >= 500) this.log(exception, request, response.status, response.code);
    const body = errorBody(response, String(request.id));
    if (reply.sent) return;
    if (response.headers) reply.headers(response.headers);
    void reply.status(response.status).type('application/json; charset=utf-8').send(body);
  }

  private log(exception: unknown, request: FastifyRequest, status: number, code: string): void {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    const skipped = this.limiter.admit(`${code} ${error.name} ${error.message.slice(0, 200)}`);
    if (skipped === undefined) return;
    const log = {
      err: status === 503 ? { type: error.name, message: error.message } : error,
      requestId: request.id,
      code,
      userId: request.user?.id,
      operation: exception instanceof DataLayerError ? exception.operation : undefined,
      ...(skipped > 0 ? { repeated: skipped } : {}),
    };
    if (status === 503) this.logger.warn(log, 'request failed: service unavailable');
    else this.logger.error(log, 'request failed: unexpected error');
  }
}
