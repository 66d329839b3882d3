import { HttpStatus } from '@nestjs/common';
import { ApiError, ErrorDetails, RETRY_AFTER_S } from '../errors/api-error';

export type AuthErrorCode = 'UNAUTHORIZED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN';

/**
 * The 401s of the contract. The authentication hook sets `WWW-Authenticate` on the reply before
 * failing with one; the global filter renders the body and keeps the header.
 */
export class AuthenticationError extends ApiError {
  constructor(code: AuthErrorCode, message: string, details: ErrorDetails = {}) {
    super(HttpStatus.UNAUTHORIZED, code, message, details);
  }
}

/** A valid token for another user than the one in the path. */
export class PathUserMismatchError extends ApiError {
  constructor() {
    super(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'The token does not grant access to this user');
  }
}

/** The identity provider's key set cannot be fetched: the server's problem, not the caller's. */
export class AuthUnavailableError extends ApiError {
  constructor() {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      'SERVICE_UNAVAILABLE',
      'Token verification is temporarily unavailable, retry later',
      {},
      { 'Retry-After': String(RETRY_AFTER_S) },
    );
  }
}
