import {
  ForbiddenException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';

export type AuthErrorCode = 'UNAUTHORIZED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN';

/**
 * The 401s of the contract. The body is `{ code, message, details }` (the global filter adds
 * `request_id`); the guard sets `WWW-Authenticate` on the reply before throwing.
 */
export class AuthenticationError extends UnauthorizedException {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super({ code, message, details });
  }
}

/** A valid token for another user than the one in the path. */
export class PathUserMismatchError extends ForbiddenException {
  readonly code = 'FORBIDDEN';

  constructor() {
    super({
      code: 'FORBIDDEN',
      message: 'The token does not grant access to this user',
      details: {},
    });
  }
}

/** The identity provider's key set cannot be fetched: the server's problem, not the caller's. */
export class AuthUnavailableError extends ServiceUnavailableException {
  readonly code = 'SERVICE_UNAVAILABLE';

  constructor() {
    super({
      code: 'SERVICE_UNAVAILABLE',
      message: 'Token verification is temporarily unavailable',
      details: {},
    });
  }
}
