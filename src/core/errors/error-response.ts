import { HttpException } from '@nestjs/common';
import { DatabaseConnectionError, InvalidInputError } from '../database/pg-errors';
import { BODY_LIMIT_BYTES } from '../http/json-body-parser';
import { ApiError, type ErrorDef, type ErrorDetails, ERRORS, RETRY_AFTER_S } from './api-error';
import type { ErrorBodyDto } from './error-body.dto';

export type ErrorResponse = Pick<ErrorBodyDto, 'code' | 'message' | 'details'> & {
  status: number;
  headers?: Record<string, string>;
};

/** The contract's fixed texts for what the framework refuses (its own texts are for developers). */
const BY_STATUS: Partial<Record<number, [ErrorDef, string]>> = {
  400: [ERRORS.validation, 'Bad request'],
  401: [ERRORS.unauthorized, 'Authentication required'],
  403: [ERRORS.forbidden, 'Forbidden'],
  404: [ERRORS.routeNotFound, 'Route not found'],
  405: [ERRORS.methodNotAllowed, 'Method not allowed'],
  413: [ERRORS.payloadTooLarge, `The request body must be at most ${BODY_LIMIT_BYTES} bytes`],
  415: [ERRORS.unsupportedMediaType, 'Content-Type must be application/json'],
  429: [ERRORS.rateLimited, 'Too many requests'],
  503: [ERRORS.unavailable, 'Service unavailable'],
};

/** nginx's status for a client that hung up before its request arrived: logged, never sent. */
export const CLIENT_CLOSED_REQUEST = 499;

/** Node's error on a request body cut short: the client's doing, not a failure here. */
export function clientAborted(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ECONNRESET' && message === 'aborted';
}

function response(def: ErrorDef, message: string, details: ErrorDetails = {}): ErrorResponse {
  return { status: def.status, code: def.code, message, details };
}

/** The answer to anything thrown; an unknown error is a 500 whose text never leaves the process. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    const { code, details, headers } = error;
    return { status: error.getStatus(), code, message: error.message, details, headers };
  }
  if (error instanceof InvalidInputError) {
    const fields = error.field ? { [error.field]: [error.message] } : {};
    return response(ERRORS.validation, error.message, { fields });
  }
  if (error instanceof DatabaseConnectionError) {
    const headers = { 'Retry-After': String(RETRY_AFTER_S) };
    return { ...response(ERRORS.unavailable, 'The database is unavailable, retry later'), headers };
  }
  if (clientAborted(error)) {
    return { status: CLIENT_CLOSED_REQUEST, code: 'CLIENT_ABORTED', message: '', details: {} };
  }
  if (error instanceof HttpException) {
    const [def, message] = BY_STATUS[error.getStatus()] ?? [
      ERRORS.internal,
      'Internal server error',
    ];
    return { ...response(def, message), status: error.getStatus() };
  }
  return response(ERRORS.internal, 'Internal server error');
}

/** The body of an error answer, for the filter and the server's own answers. */
export function errorBody(
  { code, message, details }: Pick<ErrorBodyDto, 'code' | 'message' | 'details'>,
  requestId: string,
): ErrorBodyDto {
  return { code, message, detail: message, details, request_id: requestId };
}
