export interface AuthenticatedUser {
  /** The token's `sub`, or the Better Auth session's `userId`. */
  readonly id: string;
}

/** Why a token was refused: a fixed vocabulary, safe to show the caller. */
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
    /** For `claims`: which claim (`iss`, `aud`, `exp`, …). */
    readonly claim?: string,
  ) {
    super(
      claim === undefined ? `token rejected: ${reason}` : `token rejected: ${reason} (${claim})`,
    );
    this.name = 'TokenRejectedError';
  }
}

/**
 * What tokens are checked against (the JWKS, the session store) cannot be reached: nothing to
 * say about the token itself, so it is answered 503, never 401. The message names the cause,
 * never the token.
 */
export class VerificationUnavailableError extends Error {
  constructor(
    what: string,
    override readonly cause: unknown,
  ) {
    super(`${what} unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = new.target.name;
  }
}

/** The JWKS could not be fetched or read. */
export class KeySetUnavailableError extends VerificationUnavailableError {
  constructor(cause: unknown) {
    super('JWKS', cause);
  }
}

/** Better Auth's session store did not answer (down, too slow, or its table is not there). */
export class SessionStoreUnavailableError extends VerificationUnavailableError {
  constructor(cause: unknown) {
    super('session store', cause);
  }
}
