import { ApiError, ERRORS, RETRY_AFTER_S } from '../errors/api-error';

/** Why a token was refused: a fixed vocabulary, safe to show the caller (`details.reason`). */
export type RejectionReason =
  | 'expired'
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'unknown_key'
  | 'unknown_session'
  | 'not_yet_valid'
  | 'claims'
  | 'subject';

export class TokenRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    /** For `claims`: which claim (`iss`, `aud`, …). */
    readonly claim?: string,
  ) {
    super(`token rejected: ${reason}${claim === undefined ? '' : ` (${claim})`}`);
    this.name = 'TokenRejectedError';
  }
}

/** The JWKS or the session store cannot be reached: nothing is known about the token, so a 503. */
export class VerificationUnavailableError extends Error {
  constructor(
    what: string,
    override readonly cause: unknown,
  ) {
    super(`${what} unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = new.target.name;
  }
}

export class KeySetUnavailableError extends VerificationUnavailableError {
  constructor(cause: unknown) {
    super('JWKS', cause);
  }
}

export class SessionStoreUnavailableError extends VerificationUnavailableError {
  constructor(cause: unknown) {
    super('session store', cause);
  }
}

const REALM = 'tasks-api';
/** RFC 6750 3.1: no error code when the request carried no bearer credentials at all. */
const CHALLENGE_MISSING = `Bearer realm="${REALM}"`;
const invalidToken = (description: string) => ({
  'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
});
const EXPIRED = invalidToken('The access token expired');
const INVALID = invalidToken('The access token is invalid');

export function missingCredentials(authorization: string | undefined): ApiError {
  const message =
    authorization === undefined
      ? 'Authorization header is missing'
      : 'Authorization header must be "Bearer <token>"';
  return ERRORS.unauthorized.error(message, {}, { 'WWW-Authenticate': CHALLENGE_MISSING });
}

/** The answer to a failed verification; an unexpected error is returned as is (a 500). */
export function verificationFailure(error: unknown): Error {
  if (error instanceof TokenRejectedError) {
    if (error.reason === 'expired')
      return ERRORS.tokenExpired.error('Token has expired', {}, EXPIRED);
    const details: Record<string, string> = { reason: error.reason };
    if (error.claim !== undefined) details.claim = error.claim;
    return ERRORS.invalidToken.error('Token is invalid', details, INVALID);
  }
  if (error instanceof VerificationUnavailableError) {
    return ERRORS.unavailable.error(
      'Token verification is temporarily unavailable, retry later',
      {},
      { 'Retry-After': String(RETRY_AFTER_S) },
    );
  }
  return error as Error;
}
