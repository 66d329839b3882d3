import { HttpException } from '@nestjs/common';
import { DatabaseConnectionError, InvalidInputError } from '../database/data-layer.errors';
import { ApiError, ErrorBody, ErrorCode, ErrorDetails, RETRY_AFTER_S } from './api-error';

export interface ErrorResponse {
  status: number;
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
  headers?: Record<string, string>;
}

const BY_STATUS: Partial<Record<number, [ErrorCode, string]>> = {
  400: ['VALIDATION_ERROR', 'Bad request'],
  401: ['UNAUTHORIZED', 'Authentication required'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['NOT_FOUND', 'Not found'],
  413: ['PAYLOAD_TOO_LARGE', 'Request body is larger than the limit'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json'],
  429: ['RATE_LIMITED', 'Too many requests'],
  503: ['SERVICE_UNAVAILABLE', 'Service unavailable'],
};

/**
 * Decides status, code and message for anything thrown while serving a request. An ApiError says
 * its own answer (whatever layer threw it: a resource's not-found, authentication, the limiter);
 * the data layer's errors are answered by kind (bad input, database unavailable); the framework's
 * answers to client mistakes get the contract's fixed texts. Anything else is a 500 whose text
 * never leaves the process.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    const { code, details, headers } = error;
    const status = error.getStatus();
    return headers
      ? { status, code, message: error.message, details, headers }
      : { status, code, message: error.message, details };
  }
  if (error instanceof InvalidInputError) {
    const fields = error.field ? { [error.field]: [error.message] } : {};
    return { status: 400, code: 'VALIDATION_ERROR', message: error.message, details: { fields } };
  }
  if (error instanceof DatabaseConnectionError) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unavailable, retry later',
      details: {},
      headers: { 'Retry-After': String(RETRY_AFTER_S) },
    };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Internal server error',
    details: {},
  };
}

function fromHttpException(error: HttpException): ErrorResponse {
  const status = error.getStatus();
  const body = error.getResponse();
  const [fallbackCode, fallbackMessage] = BY_STATUS[status] ?? [
    'INTERNAL_ERROR',
    'Internal server error',
  ];
  if (typeof body === 'object' && body !== null && 'code' in body) {
    const { code, message, details } = body as {
      code: ErrorCode;
      message?: string;
      details?: ErrorDetails;
    };
    return { status, code, message: message ?? fallbackMessage, details: details ?? {} };
  }
  if (status === 404) {
    return { status, code: 'NOT_FOUND', message: 'Route not found', details: {} };
  }
  // Framework exceptions (Fastify's 413/415, Nest's 400s) carry texts written for developers;
  // the contract's fixed messages are clearer and never leak internals.
  return { status, code: fallbackCode, message: fallbackMessage, details: {} };
}

/**
 * The body of an error answer, built in one place for the exceptions filter and for the answers
 * the HTTP server gives itself (http/server-errors.ts). `detail` repeats `message` (contract).
 */
export function errorBody(
  { code, message, details }: Pick<ErrorResponse, 'code' | 'message' | 'details'>,
  requestId: string,
): ErrorBody {
  return { code, message, detail: message, details, request_id: requestId };
}
