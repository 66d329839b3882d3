import { errors } from 'jose';
import { TEST_JWT_SECRET, tokenFor } from '../../../test/support/tokens';
import { validateEnvironment } from '../config/environment';
import type { ExpiringCache } from './expiring-cache';
import {
  classify,
  KeySetUnavailableError,
  TokenRejectedError,
  TokenVerifier,
  VERIFIED_CACHE_MAX_AGE_MS,
  VERIFIED_CACHE_MAX_ENTRIES,
  verifierConfigFrom,
} from './token-verifier';

const config = {
  secret: TEST_JWT_SECRET,
  clockToleranceS: 30,
  jwksCooldownMs: 100,
  jwksTimeoutMs: 1000,
  jwksMaxAgeMs: 60_000,
};
/** A token for `sub`, expiring at `exp` (seconds) or in an hour. */
const sign = (sub: string, exp?: number) => tokenFor(sub, exp === undefined ? {} : { exp });

describe('TokenVerifier', () => {
  afterEach(() => jest.useRealTimers());

  it('needs a secret or a JWKS URL', () => {
    expect(() => new TokenVerifier({ ...config, secret: undefined })).toThrow(
      /secret, a JWKS URL or a session store/,
    );
  });

  it('verifies, then answers from the cache until the entry ages out', async () => {
    const verifier = new TokenVerifier(config);
    const token = await sign('alice');
    expect(verifier.cached(token)).toBeUndefined();
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'alice' });
    expect(verifier.cached(token)).toEqual({ id: 'alice' });
    expect(verifier.cached(token, Date.now() + VERIFIED_CACHE_MAX_AGE_MS + 1)).toBeUndefined();
    expect(verifier.cached(token)).toBeUndefined();
  });

  it('never serves a cached token past its exp plus the tolerance', async () => {
    const verifier = new TokenVerifier(config);
    const exp = Math.floor(Date.now() / 1000) + 5;
    const token = await sign('alice', exp);
    await verifier.verify(token);
    expect(verifier.cached(token, exp * 1000 + 29_000)).toEqual({ id: 'alice' });
    expect(verifier.cached(token, exp * 1000 + 30_000)).toBeUndefined();
  });

  it('evicts the oldest entry when the cache is full', async () => {
    const verifier = new TokenVerifier(config);
    const first = await sign('first');
    await verifier.verify(first);
    const cache = (verifier as unknown as { cache: ExpiringCache<unknown> }).cache;
    for (let i = cache.size; i < VERIFIED_CACHE_MAX_ENTRIES; i++) {
      cache.set(`filler-${i}`, {}, Infinity);
    }
    await verifier.verify(await sign('last'));
    expect(cache.size).toBe(VERIFIED_CACHE_MAX_ENTRIES);
    expect(verifier.cached(first)).toBeUndefined();
  });

  it('rejects with reasons', async () => {
    const verifier = new TokenVerifier(config);
    const fiveMinutesAgo = Math.floor(Date.now() / 1000) - 300;
    await expect(verifier.verify(await sign('alice', fiveMinutesAgo))).rejects.toMatchObject({
      reason: 'expired',
    });
    await expect(verifier.verify(await sign(''))).rejects.toMatchObject({ reason: 'subject' });
    await expect(verifier.verify('x.y.z')).rejects.toMatchObject({ reason: 'malformed' });
    await expect(verifier.verify(await sign(' '))).rejects.toMatchObject({ reason: 'subject' });
    await expect(verifier.verify('a'.repeat(8193))).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('refuses a token without dots as malformed when no session store is configured', async () => {
    await expect(new TokenVerifier(config).verify('abc')).rejects.toMatchObject({
      reason: 'malformed',
    });
  });

  it('hands a token without dots to the session store, and JWTs only to jose', async () => {
    const lookup = jest.fn(() => Promise.resolve({ id: 'sessioned' }));
    const verifier = new TokenVerifier({ ...config, secret: undefined }, { lookup });
    await expect(verifier.verify('opaqueToken123')).resolves.toEqual({ id: 'sessioned' });
    expect(lookup).toHaveBeenCalledWith('opaqueToken123');
    // With neither a secret nor a JWKS, no JWT has a key to verify with.
    await expect(verifier.verify(await sign('alice'))).rejects.toMatchObject({
      reason: 'algorithm',
    });
  });

  it('refuses every other spelling of a token before verifying it, and caches only the one', async () => {
    const verifier = new TokenVerifier(config);
    const token = await sign('alice');
    const [header, payload, signature] = token.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // An HS256 signature is 32 bytes, 43 characters: the last one has 2 unused low bits.
    const strayBits = alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1];
    const spellings = [
      `${token}=`,
      `${header}.${payload}=.${signature}`,
      `${header}.${payload}.${signature.slice(0, -1)}${strayBits}`,
      `${header}.${payload.slice(0, -1)}+.${signature}`,
    ];
    for (const spelling of spellings) {
      await expect(verifier.verify(spelling)).rejects.toMatchObject({ reason: 'malformed' });
    }
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'alice' });
    const cache = (verifier as unknown as { cache: ExpiringCache<unknown> }).cache;
    expect(cache.size).toBe(1);
  });
});

describe('classify', () => {
  it.each([
    [new errors.JWTExpired('expired', {}), 'expired'],
    [new errors.JWTClaimValidationFailed('nbf', {}, 'nbf'), 'not_yet_valid'],
    [new errors.JWTClaimValidationFailed('iss', {}, 'iss'), 'claims'],
    [new errors.JOSEAlgNotAllowed('alg'), 'algorithm'],
    [new errors.JOSENotSupported('alg'), 'algorithm'],
    [new errors.JWSSignatureVerificationFailed(), 'signature'],
    [new errors.JWKSNoMatchingKey(), 'unknown_key'],
    [new errors.JWKSMultipleMatchingKeys(), 'unknown_key'],
    [new errors.JWSInvalid('bad'), 'malformed'],
    [new TypeError('odd'), 'malformed'],
  ])('%s is %s', (error, reason) => {
    const result = classify(error);
    expect(result).toBeInstanceOf(TokenRejectedError);
    expect(result).toMatchObject({ reason });
  });

  it('keeps a JWKS outage as it is', () => {
    const outage = new KeySetUnavailableError(new Error('ECONNREFUSED'));
    expect(classify(outage)).toBe(outage);
    expect(outage.message).toBe('JWKS unavailable: ECONNREFUSED');
    expect(new KeySetUnavailableError('text').message).toBe('JWKS unavailable: text');
  });

  it('names the claim in the message', () => {
    expect(new TokenRejectedError('claims', 'aud').message).toBe('token rejected: claims (aud)');
  });
});

describe('verifierConfigFrom', () => {
  it('maps the environment, splitting the audience list', () => {
    const env = validateEnvironment({
      DATABASE_URL: 'postgres://u@h/db',
      AUTH_JWKS_URL: 'https://idp.example/jwks.json',
      AUTH_AUDIENCE: 'a, b,,',
      AUTH_ISSUER: 'https://idp.example/',
    });
    expect(verifierConfigFrom(env)).toEqual({
      secret: undefined,
      jwksUrl: 'https://idp.example/jwks.json',
      issuer: 'https://idp.example/',
      audience: ['a', 'b'],
      clockToleranceS: 30,
      jwksCooldownMs: 1000,
      jwksTimeoutMs: 5000,
      jwksMaxAgeMs: 300_000,
    });
    const blank = validateEnvironment({
      DATABASE_URL: 'postgres://u@h/db',
      AUTH_JWT_SECRET: 's',
      AUTH_AUDIENCE: ' , ',
    });
    expect(verifierConfigFrom(blank).audience).toBeUndefined();
  });
});
