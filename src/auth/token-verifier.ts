import { createSecretKey, KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  JWTHeaderParameters,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
  FlattenedJWSInput,
} from 'jose';
import type { Environment } from '../config/environment';
import { hasMoreCodePointsThan } from '../common/code-points';
import { USER_ID_MAX_LENGTH } from '../common/user-id';

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

export interface AuthenticatedUser {
  /** The token's `sub`. */
  readonly id: string;
}

export interface TokenVerifierConfig {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  /** Any one of these must be in the token's `aud`. */
  audience?: string[];
  clockToleranceS: number;
  jwksCooldownMs: number;
  jwksTimeoutMs: number;
}

export function verifierConfigFrom(env: Environment): TokenVerifierConfig {
  const audience = env.AUTH_AUDIENCE?.split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  return {
    secret: env.AUTH_JWT_SECRET,
    jwksUrl: env.AUTH_JWKS_URL,
    issuer: env.AUTH_ISSUER,
    audience: audience?.length ? audience : undefined,
    clockToleranceS: env.AUTH_CLOCK_TOLERANCE_S,
    jwksCooldownMs: env.AUTH_JWKS_COOLDOWN_MS,
    jwksTimeoutMs: env.AUTH_JWKS_TIMEOUT_MS,
  };
}

/** Why a token was refused: a fixed vocabulary, safe to show the caller. */
export type RejectionReason =
  | 'expired'
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'unknown_key'
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

/** The JWKS could not be fetched or read: nothing to say about the token itself. */
export class KeySetUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`JWKS unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'KeySetUnavailableError';
  }
}

interface CachedToken {
  user: AuthenticatedUser;
  /** Epoch ms after which the entry must be verified again. */
  until: number;
}

/**
 * Verifies bearer JWTs: HS* with the configured secret, asymmetric algorithms with the JWKS, each
 * only with its own key source. The HMAC key object and the verify options are made once;
 * tokens that verified are remembered briefly, so a frontend's repeated token costs a map lookup.
 */
export class TokenVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  private readonly cache = new Map<string, CachedToken>();
  private readonly toleranceMs: number;

  constructor(config: TokenVerifierConfig) {
    const secretKey =
      config.secret === undefined ? undefined : createSecretKey(Buffer.from(config.secret, 'utf8'));
    const jwks = config.jwksUrl === undefined ? undefined : remoteKeySet(config.jwksUrl, config);
    if (secretKey === undefined && jwks === undefined) {
      throw new Error('TokenVerifier needs a secret or a JWKS URL');
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
      this.key = (secretKey ?? jwks)!;
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

  /** The user of a token verified within the last minute and not expired since; else undefined. */
  cached(token: string, now = Date.now()): AuthenticatedUser | undefined {
    const entry = this.cache.get(token);
    if (entry === undefined) return undefined;
    if (now < entry.until) return entry.user;
    this.cache.delete(token);
    return undefined;
  }

  /**
   * @throws TokenRejectedError (reason `expired` for TOKEN_EXPIRED, the rest INVALID_TOKEN)
   * @throws KeySetUnavailableError when the JWKS cannot be fetched
   */
  async verify(token: string): Promise<AuthenticatedUser> {
    const hit = this.cached(token);
    if (hit !== undefined) return hit;
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('malformed');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as KeyObject, this.options));
    } catch (error) {
      throw classify(error);
    }
    const sub = payload.sub;
    if (!isValidSubject(sub)) throw new TokenRejectedError('subject');
    const user: AuthenticatedUser = { id: sub };
    this.remember(token, user, (payload.exp as number) * 1000 + this.toleranceMs);
    return user;
  }

  private remember(token: string, user: AuthenticatedUser, expiresAt: number): void {
    if (this.cache.size >= VERIFIED_CACHE_MAX_ENTRIES) {
      // Oldest first: a Map iterates in insertion order.
      this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(token, {
      user,
      until: Math.min(expiresAt, Date.now() + VERIFIED_CACHE_MAX_AGE_MS),
    });
  }
}

/** Non-empty, at most USER_ID_MAX_LENGTH characters, no NUL (PostgreSQL text cannot hold one). */
export function isValidSubject(sub: unknown): sub is string {
  if (typeof sub !== 'string' || sub === '' || sub.includes('\u0000')) return false;
  return !hasMoreCodePointsThan(sub, USER_ID_MAX_LENGTH);
}

/**
 * jose's remote key set, with its failures split: an unknown or ambiguous `kid` is the token's
 * fault (401), anything else (refused connection, timeout, non-200, not a JWKS) is ours (503).
 */
function remoteKeySet(url: string, config: TokenVerifierConfig): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    cooldownDuration: config.jwksCooldownMs,
    timeoutDuration: config.jwksTimeoutMs,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      ) {
        throw error;
      }
      throw new KeySetUnavailableError(error);
    }
  };
}

export function classify(error: unknown): Error {
  if (error instanceof KeySetUnavailableError) return error;
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
