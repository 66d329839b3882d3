import { errors } from 'jose';
import { TEST_JWT_SECRET, tokenFor } from '../../test/support/tokens';
import { validateEnvironment } from '../config/environment';
import {
  classify,
  isValidSubject,
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
  jwksCooldownMs: 0,
  jwksTimeoutMs: 1000,
};
/** A token for `sub`, expiring at `exp` (seconds) or in an hour. */
const sign = (sub: string, exp?: number) => tokenFor(sub, exp === undefined ? {} : { exp });

describe('TokenVerifier', () => {
  afterEach(() => jest.useRealTimers());

  it('needs a secret or a JWKS URL', () => {
    expect(() => new TokenVerifier({ ...config, secret: undefined })).toThrow(/secret or a JWKS/);
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
    const cache = (verifier as unknown as { cache: Map<string, unknown> }).cache;
    for (let i = cache.size; i < VERIFIED_CACHE_MAX_ENTRIES; i++) cache.set(`filler-${i}`, {});
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

describe('isValidSubject', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(isValidSubject('😀'.repeat(255))).toBe(true);
    expect(isValidSubject('😀'.repeat(256))).toBe(false);
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
      jwksCooldownMs: 30_000,
      jwksTimeoutMs: 5000,
    });
    const blank = validateEnvironment({
      DATABASE_URL: 'postgres://u@h/db',
      AUTH_JWT_SECRET: 's',
      AUTH_AUDIENCE: ' , ',
    });
    expect(verifierConfigFrom(blank).audience).toBeUndefined();
  });
});
