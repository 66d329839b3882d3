import { webcrypto } from 'node:crypto';
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { isValidUserId } from '../validation/identifiers';
import { AuthConfig } from './auth.config';
import {
  type RejectionReason,
  TokenRejectedError,
  VerificationUnavailableError,
} from './auth.errors';
import { isCanonicalCompactJws } from './bearer';
import type { AuthenticatedUser } from './decorators';
import { Jwks } from './jwks';
import { cacheUntil, SessionStore, ttlCache } from './session-store';

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
/** What a JWKS may verify. Never `none`, never an HMAC (that would be algorithm confusion). */
const ASYMMETRIC_ALGORITHMS = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  ...['ES256', 'ES384', 'ES512', 'EdDSA'],
];

/** Called before a costly step of a verification; rejects when the client may not take it. */
export type Spend = () => Promise<void>;

/** Anything longer is not a token this service issued or accepts; refused before parsing. */
const MAX_TOKEN_LENGTH = 8192;
export const VERIFIED_CACHE_MAX_AGE_MS = 60_000;
export const VERIFIED_CACHE_MAX_ENTRIES = 10_000;

/**
 * JWTs (HS* with the secret, the rest with the JWKS, never crosswise) or, without dots, sessions.
 * Verified JWTs are cached by their exact text: only the canonical spelling verifies (bearer.ts).
 */
@Injectable()
export class TokenVerifier {
  private readonly secretKey: ReturnType<typeof hmacKeys> | undefined;
  private readonly options: JWTVerifyOptions;
  private readonly cache = ttlCache<AuthenticatedUser>(VERIFIED_CACHE_MAX_ENTRIES);
  readonly jwks: Jwks | undefined;

  constructor(
    private readonly config: AuthConfig,
    @Inject(SessionStore) private readonly sessions?: Pick<SessionStore, 'lookup'> | null,
  ) {
    this.secretKey = config.AUTH_JWT_SECRET ? hmacKeys(config.AUTH_JWT_SECRET) : undefined;
    this.jwks = config.AUTH_JWKS_URL ? new Jwks(config) : undefined;
    if (!this.secretKey && !this.jwks && !sessions) {
      throw new Error('TokenVerifier needs a secret, a JWKS URL or a session store');
    }
    const hmac = this.secretKey ? HMAC_ALGORITHMS : [];
    this.options = {
      algorithms: [...hmac, ...(this.jwks ? ASYMMETRIC_ALGORITHMS : [])],
      issuer: config.AUTH_ISSUER,
      audience: config.audiences,
      clockTolerance: config.AUTH_CLOCK_TOLERANCE_S,
      requiredClaims: ['exp'],
    };
  }

  /** The user of a JWT verified within the last minute and not expired since; else undefined. */
  cached(token: string): AuthenticatedUser | undefined {
    return this.cache.get(token);
  }

  /** Rejects with TokenRejectedError, VerificationUnavailableError or what `spend` rejects with. */
  async verify(token: string, spend?: Spend): Promise<AuthenticatedUser> {
    const hit = this.cache.get(token);
    if (hit !== undefined) return hit;
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('malformed');
    if (!token.includes('.')) {
      if (this.sessions) return this.sessions.lookup(token, spend);
      throw new TokenRejectedError('malformed');
    }
    if (!isCanonicalCompactJws(token)) throw new TokenRejectedError('malformed');
    const { secretKey, jwks } = this;
    if (!secretKey && !jwks) throw new TokenRejectedError('algorithm');
    // jose checks `algorithms` before asking for the key, so the alg here is one of the list.
    const key: JWTVerifyGetKey = (header, input) =>
      header.alg.startsWith('HS') ? secretKey!(header.alg) : jwks!.getKey(header, input, spend);
    const { payload, protectedHeader } = await jwtVerify(token, key, this.options).catch(
      (error: unknown) => Promise.reject(classify(error)),
    );
    if (!isValidUserId(payload.sub)) throw new TokenRejectedError('subject');
    const user: AuthenticatedUser = { id: payload.sub };
    const now = Date.now();
    const exp = payload.exp! * 1000;
    const maxLifetimeMs = (this.config.AUTH_MAX_TOKEN_AGE_S ?? Infinity) * 1000;
    if (exp - now > maxLifetimeMs) throw new TokenRejectedError('claims', 'exp');
    // Verified with a JWKS key: not remembered past the time that key stops being trusted.
    const trusted = protectedHeader.alg.startsWith('HS') ? Infinity : this.jwks!.trustedUntil;
    const expires = exp + this.config.AUTH_CLOCK_TOLERANCE_S * 1000;
    const until = Math.min(expires, trusted, now + VERIFIED_CACHE_MAX_AGE_MS);
    cacheUntil(this.cache, token, user, until, now);
    return user;
  }
}

/** One WebCrypto key per HS algorithm, imported once: jose imports bytes again on every verify. */
function hmacKeys(secret: string): (alg: string) => Promise<webcrypto.CryptoKey> {
  const raw = Buffer.from(secret, 'utf8');
  const keys = new Map<string, Promise<webcrypto.CryptoKey>>();
  return (alg) => {
    if (!keys.has(alg)) {
      const hmac = { name: 'HMAC', hash: `SHA-${alg.slice(2)}` };
      keys.set(alg, webcrypto.subtle.importKey('raw', raw, hmac, false, ['verify']));
    }
    return keys.get(alg)!;
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
