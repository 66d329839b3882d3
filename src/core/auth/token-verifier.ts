import { webcrypto } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import {
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type JWTVerifyResult,
} from 'jose';
import { isValidUserId } from '../validation/identifiers';
import type { AuthConfig } from './auth.config';
import {
  type RejectionReason,
  TokenRejectedError,
  VerificationUnavailableError,
} from './auth.errors';
import { isCanonicalCompactJws } from './bearer';
import type { AuthenticatedUser } from './decorators';
import { Jwks } from './jwks';
import { cacheUntil, type SessionStore, ttlCache } from './session-store';

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
/** What a JWKS may verify. Never `none`, never an HMAC (that would be algorithm confusion). */
const ASYMMETRIC_ALGORITHMS = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  ...['ES256', 'ES384', 'ES512', 'EdDSA'],
];

/** Called before a costly step of a verification; rejects when the client may not take it. */
export type Spend = () => Promise<void>;
type GetKey = (
  ...args: [...Parameters<JWTVerifyGetKey>, spend: Spend | undefined]
) => ReturnType<JWTVerifyGetKey>;

/** Anything longer is not a token this service issued or accepts; refused before parsing. */
export const MAX_TOKEN_LENGTH = 8192;
/** Verified tokens are remembered this long at most (and never past their `exp`). */
export const VERIFIED_CACHE_MAX_AGE_MS = 60_000;
export const VERIFIED_CACHE_MAX_ENTRIES = 10_000;

/**
 * Bearer tokens: JWTs (HS* with AUTH_JWT_SECRET, the rest with the JWKS, never crosswise), or,
 * without dots, Better Auth sessions. Verified JWTs are cached by their exact text, which is safe
 * because only a token's one canonical spelling is ever verified (compact-jws.ts).
 */
export class TokenVerifier {
  private readonly key: GetKey | undefined;
  private readonly options: JWTVerifyOptions;
  private readonly cache = ttlCache<AuthenticatedUser>(VERIFIED_CACHE_MAX_ENTRIES);
  private readonly toleranceMs: number;
  private readonly maxLifetimeMs: number;
  readonly jwks: Jwks | undefined;

  constructor(
    config: AuthConfig,
    private readonly sessions?: Pick<SessionStore, 'lookup'>,
  ) {
    const secret = config.AUTH_JWT_SECRET;
    const secretKey = secret ? hmacKeys(secret) : undefined;
    this.jwks = config.AUTH_JWKS_URL ? new Jwks(config) : undefined;
    const jwks = this.jwks?.getKey;
    if (secretKey === undefined && jwks === undefined && sessions === undefined) {
      throw new Error('TokenVerifier needs a secret, a JWKS URL or a session store');
    }
    // jose checks `algorithms` before asking for the key, so the alg here is one of the list.
    if (secretKey || jwks) {
      this.key = (header, token, spend) =>
        header.alg.startsWith('HS') ? secretKey!(header.alg) : jwks!(header, token, spend);
    }
    this.options = {
      algorithms: [...(secretKey ? HMAC_ALGORITHMS : []), ...(jwks ? ASYMMETRIC_ALGORITHMS : [])],
      issuer: config.AUTH_ISSUER,
      audience: config.audiences,
      clockTolerance: config.AUTH_CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
    };
    this.toleranceMs = config.AUTH_CLOCK_TOLERANCE_S * 1000;
    this.maxLifetimeMs = (config.AUTH_MAX_TOKEN_AGE_S ?? Infinity) * 1000;
  }

  /** The user of a JWT verified within the last minute and not expired since; else undefined. */
  cached(token: string): AuthenticatedUser | undefined {
    return this.cache.get(token);
  }

  /**
   * @throws TokenRejectedError (reason `expired` for TOKEN_EXPIRED, the rest INVALID_TOKEN)
   * @throws VerificationUnavailableError when the JWKS or the session store cannot be reached
   * @throws what `spend` rejects with
   */
  async verify(token: string, spend?: Spend): Promise<AuthenticatedUser> {
    const hit = this.cache.get(token);
    if (hit !== undefined) return hit;
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('malformed');
    if (!token.includes('.')) {
      if (this.sessions !== undefined) return this.sessions.lookup(token, spend);
      throw new TokenRejectedError('malformed');
    }
    if (!isCanonicalCompactJws(token)) throw new TokenRejectedError('malformed');
    const key = this.key;
    if (key === undefined) throw new TokenRejectedError('algorithm');
    let verified: JWTVerifyResult;
    try {
      verified = await jwtVerify(token, (h, t) => key(h, t, spend), this.options);
    } catch (error) {
      throw classify(error);
    }
    const sub = verified.payload.sub;
    if (!isValidUserId(sub)) throw new TokenRejectedError('subject');
    const user: AuthenticatedUser = { id: sub };
    const now = Date.now();
    const exp = (verified.payload.exp as number) * 1000;
    if (exp - now > this.maxLifetimeMs) throw new TokenRejectedError('claims', 'exp');
    const expires = exp + this.toleranceMs;
    // Verified with a JWKS key: not remembered past the time that key stops being trusted.
    const hmac = verified.protectedHeader.alg.startsWith('HS');
    const trusted = hmac ? Infinity : this.jwks!.trustedUntil;
    const until = Math.min(expires, trusted, now + VERIFIED_CACHE_MAX_AGE_MS);
    cacheUntil(this.cache, token, user, until, now);
    return user;
  }
}

/**
 * The secret as one WebCrypto key per HS algorithm, imported once: jose 6 verifies through
 * WebCrypto, and a key given as bytes or a KeyObject is imported again on every verification
 * (43 µs of CPU per HS256 token against 21-29 µs with the key imported once).
 */
function hmacKeys(secret: string): (alg: string) => Promise<webcrypto.CryptoKey> {
  const keys = new Map<string, Promise<webcrypto.CryptoKey>>();
  return (alg) => {
    let key = keys.get(alg);
    if (key === undefined) {
      const hash = `SHA-${alg.slice(2)}`;
      key = webcrypto.subtle.importKey(
        'raw',
        Buffer.from(secret, 'utf8'),
        { name: 'HMAC', hash },
        false,
        ['verify'],
      );
      keys.set(alg, key);
    }
    return key;
  };
}

const REASONS: [abstract new (...args: never[]) => Error, RejectionReason][] = [
  [errors.JWTExpired, 'expired'],
  [errors.JOSEAlgNotAllowed, 'algorithm'],
  [errors.JOSENotSupported, 'algorithm'],
  [errors.JWSSignatureVerificationFailed, 'signature'],
  [errors.JWKSNoMatchingKey, 'unknown_key'],
  [errors.JWKSMultipleMatchingKeys, 'unknown_key'],
];

/** jose's error as the reason a token is refused (anything unknown: malformed). */
export function classify(error: unknown): Error {
  if (error instanceof VerificationUnavailableError || error instanceof HttpException) return error;
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'nbf'
      ? new TokenRejectedError('not_yet_valid')
      : new TokenRejectedError('claims', error.claim);
  }
  return new TokenRejectedError(
    REASONS.find(([type]) => error instanceof type)?.[1] ?? 'malformed',
  );
}
