import { createSecretKey, KeyObject } from 'node:crypto';
import {
  errors,
  JWTHeaderParameters,
  JWTVerifyResult,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
  FlattenedJWSInput,
} from 'jose';
import type { AuthConfig } from './auth.config';
import { isValidUserId } from '../validation/user-id';
import { isCanonicalCompactJws } from './compact-jws';
import { ExpiringCache } from './expiring-cache';
import { JwksManager } from './jwks-manager';
import type { SessionStore } from './session-store';
import {
  AuthenticatedUser,
  TokenRejectedError,
  VerificationUnavailableError,
} from './token-errors';

export type { AuthenticatedUser, RejectionReason } from './token-errors';
export {
  KeySetUnavailableError,
  SessionStoreUnavailableError,
  TokenRejectedError,
  VerificationUnavailableError,
} from './token-errors';
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** What a JWKS may verify. Never `none`, never an HMAC (that would be algorithm confusion). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** Anything longer is not a token this service issued or accepts; refused before parsing. */
export const MAX_TOKEN_LENGTH = 8192;
/** Verified tokens are remembered this long at most (and never past their `exp`). */
export const VERIFIED_CACHE_MAX_AGE_MS = 60_000;
export const VERIFIED_CACHE_MAX_ENTRIES = 10_000;

export interface TokenVerifierConfig {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  /** Any one of these must be in the token's `aud`. */
  audience?: string[];
  clockToleranceS: number;
  /** Least time between two JWKS fetches (doubled after each failure). */
  jwksCooldownMs: number;
  jwksTimeoutMs: number;
  /** A key fetched longer ago than this is no longer trusted. */
  jwksMaxAgeMs: number;
}

export function verifierConfigFrom(env: AuthConfig): TokenVerifierConfig {
  return {
    secret: env.AUTH_JWT_SECRET,
    jwksUrl: env.AUTH_JWKS_URL,
    issuer: env.AUTH_ISSUER,
    audience: env.audiences,
    clockToleranceS: env.AUTH_CLOCK_TOLERANCE_S,
    jwksCooldownMs: env.AUTH_JWKS_COOLDOWN_MS,
    jwksTimeoutMs: env.AUTH_JWKS_TIMEOUT_MS,
    jwksMaxAgeMs: env.AUTH_JWKS_MAX_AGE_MS,
  };
}

/**
 * Verifies bearer tokens. JWTs: HS* with the configured secret, asymmetric algorithms with the
 * JWKS, each only with its own key source; the HMAC key object and the verify options are made
 * once, and tokens that verified are remembered briefly, so a frontend's repeated token costs a
 * map lookup. A token without dots is no JWT: with Better Auth sessions enabled it is looked up
 * in the session store, else refused as malformed.
 *
 * The JWT cache is keyed by the exact token, which is safe because only a canonically spelled
 * token (compact-jws.ts) is ever verified, hence ever cached: an attacker cannot mint new keys
 * for one token, and filling the cache takes as many validly signed tokens.
 */
export class TokenVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey | undefined;
  private readonly options: JWTVerifyOptions;
  private readonly cache = new ExpiringCache<AuthenticatedUser>(VERIFIED_CACHE_MAX_ENTRIES);
  private readonly toleranceMs: number;
  /** Set when a JWKS is configured; exposed for tests and figures. */
  readonly jwks: JwksManager | undefined;

  constructor(
    config: TokenVerifierConfig,
    private readonly sessions?: Pick<SessionStore, 'lookup'>,
  ) {
    const secretKey =
      config.secret === undefined ? undefined : createSecretKey(Buffer.from(config.secret, 'utf8'));
    this.jwks =
      config.jwksUrl === undefined
        ? undefined
        : new JwksManager({
            url: config.jwksUrl,
            timeoutMs: config.jwksTimeoutMs,
            minIntervalMs: config.jwksCooldownMs,
            maxAgeMs: config.jwksMaxAgeMs,
          });
    const jwks = this.jwks?.getKey;
    if (secretKey === undefined && jwks === undefined && sessions === undefined) {
      throw new Error('TokenVerifier needs a secret, a JWKS URL or a session store');
    }
    const algorithms: string[] = [
      ...(secretKey ? HMAC_ALGORITHMS : []),
      ...(jwks ? ASYMMETRIC_ALGORITHMS : []),
    ];
    if (secretKey && jwks) {
      // jose checks `algorithms` before asking for the key, so the alg here is one of the list.
      this.key = (header: JWTHeaderParameters, token: FlattenedJWSInput) =>
        header.alg.startsWith('HS') ? secretKey : jwks(header, token);
    } else {
      this.key = secretKey ?? jwks;
    }
    this.options = {
      algorithms,
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: config.clockToleranceS,
      requiredClaims: ['exp'],
    };
    this.toleranceMs = config.clockToleranceS * 1000;
  }

  /** The user of a JWT verified within the last minute and not expired since; else undefined. */
  cached(token: string, now = Date.now()): AuthenticatedUser | undefined {
    return this.cache.get(token, now);
  }

  /**
   * @throws TokenRejectedError (reason `expired` for TOKEN_EXPIRED, the rest INVALID_TOKEN)
   * @throws VerificationUnavailableError when the JWKS or the session store cannot be reached
   */
  async verify(token: string): Promise<AuthenticatedUser> {
    const hit = this.cache.get(token);
    if (hit !== undefined) return hit;
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('malformed');
    if (!token.includes('.')) {
      if (this.sessions !== undefined) return this.sessions.lookup(token);
      throw new TokenRejectedError('malformed');
    }
    // Before any decoding: one token, one spelling (issue 12).
    if (!isCanonicalCompactJws(token)) throw new TokenRejectedError('malformed');
    if (this.key === undefined) throw new TokenRejectedError('algorithm');
    let verified: JWTVerifyResult;
    try {
      verified = await jwtVerify(token, this.key as KeyObject, this.options);
    } catch (error) {
      throw classify(error);
    }
    const sub = verified.payload.sub;
    if (!isValidUserId(sub)) throw new TokenRejectedError('subject');
    const user: AuthenticatedUser = { id: sub };
    let until = Math.min(
      (verified.payload.exp as number) * 1000 + this.toleranceMs,
      Date.now() + VERIFIED_CACHE_MAX_AGE_MS,
    );
    // Verified with a JWKS key: not remembered past the time that key stops being trusted.
    if (this.jwks && !verified.protectedHeader.alg.startsWith('HS')) {
      until = Math.min(until, this.jwks.trustedUntil);
    }
    this.cache.set(token, user, until);
    return user;
  }
}

export function classify(error: unknown): Error {
  if (error instanceof VerificationUnavailableError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'nbf'
      ? new TokenRejectedError('not_yet_valid')
      : new TokenRejectedError('claims', error.claim);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenRejectedError('algorithm');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRejectedError('signature');
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new TokenRejectedError('unknown_key');
  }
  return new TokenRejectedError('malformed');
}
