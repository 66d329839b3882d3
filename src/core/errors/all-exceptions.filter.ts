import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataLayerError } from '../database/pg-errors';
import { errorBody, toErrorResponse } from './error-response';

/**
 * Renders every failure, from Nest, Fastify (body parsing, 404) or our code, as the contract's
 * `{code, message, detail, details, request_id}`. A 5xx is logged once, here, with the full error, the
 * request id, the user and the data-layer operation; the client sees only the code and a fixed
 * message.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@InjectPinoLogger('Errors') private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception);
    if (response.status >= 500) {
      const log = {
        err: exception,
        requestId: request.id,
        code: response.code,
        userId: request.user?.id,
        operation: exception instanceof DataLayerError ? exception.operation : undefined,
      };
      if (response.status === 503) this.logger.warn(log, 'request failed: service unavailable');
      else this.logger.error(log, 'request failed: unexpected error');
    }
    const body = errorBody(response, String(request.id));
    if (reply.sent) return;
    if (response.headers) reply.headers(response.headers);
    void reply.status(response.status).type('application/json; charset=utf-8').send(body);
  }
}
