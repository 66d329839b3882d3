import { HttpException, HttpStatus } from '@nestjs/common';

/** The contract's error codes (../shared/api-contract.md, "Errors"). */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_UUID'
  | 'MALFORMED_JSON'
  | 'UNAUTHORIZED'
  | 'TOKEN_EXPIRED'
  | 'INVALID_TOKEN'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export type ErrorDetails = Record<string, unknown>;

/** The error body every failure is rendered as. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
  request_id: string;
}

/** An HttpException that already knows its contract code; the filter renders it as is. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super({ code, message, details }, status);
  }
}

/** details of a VALIDATION_ERROR: each field with what is wrong with it. */
export type FieldErrors = Record<string, string[]>;

export function validationError(message: string, fields: FieldErrors = {}): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_ERROR', message, { fields });
}
