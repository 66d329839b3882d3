import { HttpException } from '@nestjs/common';
import { DatabaseConnectionError, InvalidInputError } from '../database/pg-errors';
import { BODY_LIMIT_BYTES } from '../http/json-body-parser';
import {
  ApiError,
  type ErrorBody,
  type ErrorDef,
  type ErrorDetails,
  ERRORS,
  RETRY_AFTER_S,
} from './api-error';

export interface ErrorResponse {
  status: number;
  code: string;
  message: string;
  details: ErrorDetails;
  headers?: Record<string, string>;
}

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

/**
 * Status, code and message for anything thrown while serving a request: an ApiError says its own
 * answer; the data layer's errors are answered by kind; the framework's refusals get fixed texts;
 * anything else is a 500 whose text never leaves the process.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    const { code, details, headers } = error;
    const response = { status: error.getStatus(), code, message: error.message, details };
    return headers ? { ...response, headers } : response;
  }
  if (error instanceof InvalidInputError) {
    const fields = error.field ? { [error.field]: [error.message] } : {};
    return {
      status: 400,
      code: ERRORS.validation.code,
      message: error.message,
      details: { fields },
    };
  }
  if (error instanceof DatabaseConnectionError) {
    return {
      status: 503,
      code: ERRORS.unavailable.code,
      message: 'The database is unavailable, retry later',
      details: {},
      headers: { 'Retry-After': String(RETRY_AFTER_S) },
    };
  }
  if (clientAborted(error)) {
    return { status: CLIENT_CLOSED_REQUEST, code: 'CLIENT_ABORTED', message: '', details: {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const [def, message] = BY_STATUS[status] ?? [ERRORS.internal, 'Internal server error'];
    return { status, code: def.code, message, details: {} };
  }
  return { status: 500, code: ERRORS.internal.code, message: 'Internal server error', details: {} };
}

/** The body of an error answer, for the filter and the server's own answers. `detail` = `message`. */
export function errorBody(
  { code, message, details }: Pick<ErrorResponse, 'code' | 'message' | 'details'>,
  requestId: string,
): ErrorBody {
  return { code, message, detail: message, details, request_id: requestId };
}
