import { HttpException } from '@nestjs/common';

export type ErrorDetails = Record<string, unknown>;

/** Seconds a client is asked to wait (`Retry-After`) when the service cannot answer for now. */
export const RETRY_AFTER_S = 5;

/** An HttpException that knows its whole answer, headers included; the filter renders it as is. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    readonly headers?: Record<string, string>,
  ) {
    super({ code, message, details }, status);
  }
}

const registered: ErrorDef[] = [];

/** One error a feature answers with; registered, so the OpenAPI `ErrorCode` enum lists them all. */
export class ErrorDef {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    /** Headers that always come with it, documented by name. */
    readonly headers: readonly string[] = [],
  ) {
    registered.push(this);
  }

  error(message: string, details: ErrorDetails = {}, headers?: Record<string, string>): ApiError {
    return new ApiError(this.status, this.code, message, details, headers);
  }
}

/** Every code a registered definition answers with, once each, in registration order. */
export function errorCodes(): string[] {
  return [...new Set(registered.map((def) => def.code))];
}

/** The codes of the core: any route may answer them, whichever features it uses. */
export const ERRORS = {
  validation: new ErrorDef(
    400,
    'VALIDATION_ERROR',
    'The request is invalid; `details.fields` says what is wrong with each field.',
  ),
  invalidUuid: new ErrorDef(400, 'INVALID_UUID', 'A path id is not a UUID.'),
  malformedJson: new ErrorDef(400, 'MALFORMED_JSON', 'The body is not valid JSON (or not UTF-8).'),
  unauthorized: new ErrorDef(401, 'UNAUTHORIZED', 'No bearer token.', ['WWW-Authenticate']),
  tokenExpired: new ErrorDef(401, 'TOKEN_EXPIRED', 'The token expired.', ['WWW-Authenticate']),
  invalidToken: new ErrorDef(401, 'INVALID_TOKEN', 'The token is invalid.', ['WWW-Authenticate']),
  forbidden: new ErrorDef(
    403,
    'FORBIDDEN',
    'The token is valid but `{user_id}` is not its subject.',
  ),
  routeNotFound: new ErrorDef(404, 'NOT_FOUND', 'No such route.'),
  methodNotAllowed: new ErrorDef(405, 'METHOD_NOT_ALLOWED', 'Not with this method.', ['Allow']),
  payloadTooLarge: new ErrorDef(
    413,
    'PAYLOAD_TOO_LARGE',
    'The request body is larger than 64 KiB.',
  ),
  unsupportedMediaType: new ErrorDef(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'The request body is not `application/json`.',
  ),
  idempotencyKeyInUse: new ErrorDef(
    409,
    'IDEMPOTENCY_KEY_IN_USE',
    'The first request with this `Idempotency-Key` is still running; retry after `Retry-After` seconds.',
    ['Retry-After'],
  ),
  preconditionFailed: new ErrorDef(
    412,
    'PRECONDITION_FAILED',
    '`If-Match` names none of the current `ETag`s: it changed since it was read; nothing was changed.',
  ),
  idempotencyKeyMismatch: new ErrorDef(
    422,
    'IDEMPOTENCY_KEY_MISMATCH',
    'This `Idempotency-Key` was used with a different request (method, path or body).',
  ),
  preconditionRequired: new ErrorDef(
    428,
    'PRECONDITION_REQUIRED',
    'The service requires `If-Match` on writes (REQUIRE_IF_MATCH); send the `ETag` last read.',
  ),
  rateLimited: new ErrorDef(
    429,
    'RATE_LIMITED',
    'Too many requests; retry after `Retry-After` seconds.',
    ['Retry-After', 'RateLimit-Policy', 'RateLimit'],
  ),
  internal: new ErrorDef(
    500,
    'INTERNAL_ERROR',
    'Unexpected failure; the body never holds a stack, SQL or driver text.',
  ),
  unavailable: new ErrorDef(
    503,
    'SERVICE_UNAVAILABLE',
    'A dependency (the database, the identity provider) cannot be reached; retry after `Retry-After` seconds.',
    ['Retry-After'],
  ),
};

/** details of a VALIDATION_ERROR: each field with what is wrong with it. */
export type FieldErrors = Record<string, string[]>;

export function validationError(message: string, fields: FieldErrors = {}): ApiError {
  return ERRORS.validation.error(message, { fields });
}
