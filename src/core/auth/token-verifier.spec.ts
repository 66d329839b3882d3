import { errors } from 'jose';
import type { LRUCache } from 'lru-cache';
import { TEST_JWT_SECRET, tokenFor } from '../../../test/support/tokens';
import { loadAppConfig } from '../../app.module';
import { AuthConfig } from './auth.config';
import { KeySetUnavailableError, TokenRejectedError } from './auth.errors';
import {
  classify,
  TokenVerifier,
  VERIFIED_CACHE_MAX_AGE_MS,
  VERIFIED_CACHE_MAX_ENTRIES,
} from './token-verifier';

/** The auth section as the app loads it: the test secret and `env` on top. */
const configWith = (env: Record<string, string> = {}) =>
  loadAppConfig({
    DATABASE_URL: 'postgres://u@localhost/db',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...env,
  }).get(AuthConfig);
const config = configWith();
/** A token for `sub`, expiring at `exp` (seconds) or in an hour. */
const sign = (sub: string, exp?: number) => tokenFor(sub, exp === undefined ? {} : { exp });
const cacheOf = (verifier: TokenVerifier) =>
  (verifier as unknown as { cache: LRUCache<string, object> }).cache;
/** From now on, Date.now() (the caches' clock) says `ms`. */
const clockAt = (ms: number) => jest.spyOn(Date, 'now').mockReturnValue(ms);

describe('TokenVerifier', () => {
  afterEach(() => jest.restoreAllMocks());

  it('needs a secret, a JWKS URL or a session store', () => {
    const sessionsOnly = configWith({ AUTH_JWT_SECRET: '', AUTH_SESSIONS_ENABLED: 'true' });
    expect(() => new TokenVerifier(sessionsOnly)).toThrow(/secret, a JWKS URL or a session store/);
  });

  it('verifies, then answers from the cache until the entry ages out', async () => {
    const verifier = new TokenVerifier(config);
    const token = await sign('alice');
    expect(verifier.cached(token)).toBeUndefined();
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'alice' });
    expect(verifier.cached(token)).toEqual({ id: 'alice' });
    clockAt(Date.now() + VERIFIED_CACHE_MAX_AGE_MS + 1);
    expect(verifier.cached(token)).toBeUndefined();
  });

  it('never serves a cached token past its exp plus the tolerance', async () => {
    const verifier = new TokenVerifier(config);
    const exp = Math.floor(Date.now() / 1000) + 5;
    const token = await sign('alice', exp);
    await verifier.verify(token);
    clockAt(exp * 1000 + 29_000);
    expect(verifier.cached(token)).toEqual({ id: 'alice' });
    clockAt(exp * 1000 + 30_000);
    expect(verifier.cached(token)).toBeUndefined();
  });

  it('accepts any audience of AUTH_AUDIENCE, refuses another', async () => {
    const verifier = new TokenVerifier(configWith({ AUTH_AUDIENCE: 'a, b,,' }));
    await expect(verifier.verify(await tokenFor('alice', { aud: 'b' }))).resolves.toEqual({
      id: 'alice',
    });
    await expect(verifier.verify(await tokenFor('alice', { aud: 'c' }))).rejects.toMatchObject({
      reason: 'claims',
      claim: 'aud',
    });
  });

  it('evicts the least recently used entry when the cache is full', async () => {
    const verifier = new TokenVerifier(config);
    const first = await sign('first');
    await verifier.verify(first);
    const cache = cacheOf(verifier);
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
    const sessionsOnly = configWith({ AUTH_JWT_SECRET: '', AUTH_SESSIONS_ENABLED: 'true' });
    const verifier = new TokenVerifier(sessionsOnly, { lookup });
    await expect(verifier.verify('opaqueToken123')).resolves.toEqual({ id: 'sessioned' });
    expect(lookup).toHaveBeenCalledWith('opaqueToken123', undefined);
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
    expect(cacheOf(verifier).size).toBe(1);
  });
});

describe('classify', () => {
  it.each([
    ['JWTExpired', 'expired', new errors.JWTExpired('expired', {})],
    [
      'JWTClaimValidationFailed',
      'not_yet_valid',
      new errors.JWTClaimValidationFailed('nbf', {}, 'nbf'),
    ],
    ['JWTClaimValidationFailed', 'claims', new errors.JWTClaimValidationFailed('iss', {}, 'iss')],
    ['JOSEAlgNotAllowed', 'algorithm', new errors.JOSEAlgNotAllowed('alg')],
    ['JOSENotSupported', 'algorithm', new errors.JOSENotSupported('alg')],
    ['JWSSignatureVerificationFailed', 'signature', new errors.JWSSignatureVerificationFailed()],
    ['JWKSNoMatchingKey', 'unknown_key', new errors.JWKSNoMatchingKey()],
    ['JWKSMultipleMatchingKeys', 'unknown_key', new errors.JWKSMultipleMatchingKeys()],
    ['JWSInvalid', 'malformed', new errors.JWSInvalid('bad')],
    ['TypeError', 'malformed', new TypeError('odd')],
  ])('%s is %s', (_, reason, error) => {
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
