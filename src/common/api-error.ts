import { HttpException, HttpStatus } from '@nestjs/common';

/** The contract's error codes (../shared/api-contract.md, "Errors"). */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'INVALID_UUID',
  'MALFORMED_JSON',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'INVALID_TOKEN',
  'FORBIDDEN',
  'NOT_FOUND',
  'QUOTA_EXCEEDED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown>;

/** The error body every failure is rendered as. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** `message` again, under RFC 9457's name: what FastAPI-style clients show to the person. */
  detail: string;
  details: ErrorDetails;
  request_id: string;
}

/** Seconds a client is asked to wait (`Retry-After`) when the service cannot answer for now. */
export const RETRY_AFTER_S = 5;

/**
 * An HttpException that knows its whole answer: status, contract code, message, details, and the
 * headers that go with it (`Retry-After`, `WWW-Authenticate`). Any layer may throw one; the
 * exceptions filter renders it as is, so the mapping of errors to answers lives with the errors.
 */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    readonly headers?: Record<string, string>,
  ) {
    super({ code, message, details }, status);
  }
}

/** details of a VALIDATION_ERROR: each field with what is wrong with it. */
export type FieldErrors = Record<string, string[]>;

export function validationError(message: string, fields: FieldErrors = {}): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_ERROR', message, { fields });
}
