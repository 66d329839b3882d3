import { exportJWK, exportSPKI, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { AuthProbeModule } from '../support/auth-probe.module';
import type { HttpResponse } from '../support/http';
import { deadUrl, JwksServer, startJwksServer } from '../support/jwks-server';
import { startTestApp, TestApp } from '../support/test-app';
import { signToken, tokenFor } from '../support/tokens';

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * GET on the test-only probe routes, which openapi.json does not describe (and one of which
 * answers 500 on purpose): unchecked requests, `raw`.
 */
function call(app: TestApp, path: string, authorization?: string): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  return app.http.raw('GET', path, { headers, timeoutMs: 10_000 });
}

/** Asserts a 401 with the contract's code and the RFC 6750 challenge. */
async function expect401(
  app: TestApp,
  path: string,
  authorization: string | undefined,
  code: 'UNAUTHORIZED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN',
  reason?: string,
): Promise<void> {
  const res = await call(app, path, authorization);
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ code, details: reason ? { reason } : {} });
  const challenge = res.headers.get('www-authenticate');
  expect(challenge).toMatch(/^Bearer realm="tasks-api"/);
  if (code === 'UNAUTHORIZED') expect(challenge).not.toContain('error=');
  else expect(challenge).toContain('error="invalid_token"');
}

describe('authentication with the HS256 secret', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ extraModules: [AuthProbeModule] });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('admits a valid token and exposes its sub to the controller', async () => {
    const res = await call(app, '/api/alice/auth-probe', `Bearer ${await tokenFor('alice')}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: 'alice', path_user: 'alice' });
    // Served again from the verified-token cache: same answer.
    const again = await call(app, '/api/alice/auth-probe', `Bearer ${await tokenFor('alice')}`);
    expect(again.body).toEqual({ user: 'alice', path_user: 'alice' });
  });

  it('accepts HS384 and HS512, the scheme in any case, and /api routes without a user in the path', async () => {
    for (const alg of ['HS384', 'HS512']) {
      const token = await signToken({ sub: 'bob', exp: now() + 60 }, { alg });
      expect((await call(app, '/api/bob/auth-probe', `bearer ${token}`)).status).toBe(200);
    }
    const res = await call(app, '/api/auth-probe', `BEARER ${await tokenFor('carol')}`);
    expect(res.body).toEqual({ user: 'carol' });
  });

  it('answers 403 FORBIDDEN when the path user is not the token subject', async () => {
    const res = await call(app, '/api/bob/auth-probe', `Bearer ${await tokenFor('alice')}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', details: {} });
    // A cached token is checked against the path too.
    const cached = await call(app, '/api/bob/auth-probe', `Bearer ${await tokenFor('alice')}`);
    expect(cached.status).toBe(403);
  });

  it('compares the decoded path segment with sub', async () => {
    const token = await tokenFor('auth0|user 1');
    const res = await call(
      app,
      `/api/${encodeURIComponent('auth0|user 1')}/auth-probe`,
      `Bearer ${token}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: 'auth0|user 1' });
  });

  it('401 UNAUTHORIZED without a header, with another scheme, or with an empty bearer', async () => {
    await expect401(app, '/api/alice/auth-probe', undefined, 'UNAUTHORIZED');
    await expect401(app, '/api/alice/auth-probe', 'Basic YWxpY2U6cHc=', 'UNAUTHORIZED');
    await expect401(app, '/api/alice/auth-probe', 'Bearer', 'UNAUTHORIZED');
    await expect401(app, '/api/alice/auth-probe', 'Bearer a b', 'UNAUTHORIZED');
    await expect401(app, '/api/auth-probe', 'Token abc', 'UNAUTHORIZED');
  });

  it('401 INVALID_TOKEN for garbage and oversized tokens', async () => {
    await expect401(app, '/api/alice/auth-probe', 'Bearer garbage', 'INVALID_TOKEN', 'malformed');
    await expect401(app, '/api/alice/auth-probe', 'Bearer a.b.c', 'INVALID_TOKEN', 'malformed');
    await expect401(
      app,
      '/api/alice/auth-probe',
      `Bearer ${'a'.repeat(9000)}`,
      'INVALID_TOKEN',
      'malformed',
    );
  });

  it('401 TOKEN_EXPIRED for an expired token, beyond the clock tolerance', async () => {
    const token = await signToken({ sub: 'alice', exp: now() - 120 });
    await expect401(app, '/api/alice/auth-probe', `Bearer ${token}`, 'TOKEN_EXPIRED');
    const res = await call(app, '/api/alice/auth-probe', `Bearer ${token}`);
    expect(res.headers.get('www-authenticate')).toContain('expired');
  });

  it('tolerates a little clock skew on exp and nbf', async () => {
    const token = await signToken({ sub: 'alice', exp: now() - 5, nbf: now() + 5 });
    expect((await call(app, '/api/alice/auth-probe', `Bearer ${token}`)).status).toBe(200);
  });

  it('401 INVALID_TOKEN when nbf is in the future', async () => {
    const token = await signToken({ sub: 'alice', exp: now() + 600, nbf: now() + 300 });
    await expect401(
      app,
      '/api/alice/auth-probe',
      `Bearer ${token}`,
      'INVALID_TOKEN',
      'not_yet_valid',
    );
  });

  it('401 INVALID_TOKEN for a token without exp', async () => {
    const token = await signToken({ sub: 'alice' });
    await expect401(app, '/api/alice/auth-probe', `Bearer ${token}`, 'INVALID_TOKEN', 'claims');
  });

  it('401 INVALID_TOKEN for a wrong signature (another secret, or a tampered payload)', async () => {
    const other = await signToken(
      { sub: 'alice', exp: now() + 60 },
      { key: 'another-secret-that-is-long-enough-000000' },
    );
    await expect401(app, '/api/alice/auth-probe', `Bearer ${other}`, 'INVALID_TOKEN', 'signature');
    const [header, , signature] = (await tokenFor('alice')).split('.');
    const tampered = `${header}.${b64({ sub: 'bob', exp: now() + 60 })}.${signature}`;
    await expect401(app, '/api/bob/auth-probe', `Bearer ${tampered}`, 'INVALID_TOKEN', 'signature');
  });

  it('401 INVALID_TOKEN for alg none', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', exp: now() + 60 })}.`;
    await expect401(app, '/api/alice/auth-probe', `Bearer ${unsigned}`, 'INVALID_TOKEN');
  });

  it('401 INVALID_TOKEN for an asymmetric token when only the secret is configured', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await signToken(
      { sub: 'alice', exp: now() + 300 },
      { key: privateKey, alg: 'RS256' },
    );
    await expect401(app, '/api/alice/auth-probe', `Bearer ${token}`, 'INVALID_TOKEN', 'algorithm');
  });

  it('401 INVALID_TOKEN for a missing, empty, non-string, too long or NUL-bearing sub', async () => {
    for (const sub of [undefined, '', 42, 'x'.repeat(256), 'a\u0000b']) {
      const token = await signToken({ sub, exp: now() + 60 });
      await expect401(app, '/api/auth-probe', `Bearer ${token}`, 'INVALID_TOKEN');
    }
    const longest = await signToken({ sub: 'x'.repeat(255), exp: now() + 60 });
    expect((await call(app, '/api/auth-probe', `Bearer ${longest}`)).status).toBe(200);
  });

  it('leaves routes outside /api alone, and health needs no token', async () => {
    expect((await call(app, '/open-probe')).body).toEqual({ open: true });
    expect((await call(app, '/health/live')).status).toBe(200);
    // @CurrentUser() on a route without authentication is a programming error, not a silent null.
    expect((await call(app, '/open-probe/misused')).status).toBe(500);
  });
});

describe('issuer and audience, when configured', () => {
  let app: TestApp;

  beforeAll(async () => {
    const env = {
      AUTH_ISSUER: 'https://issuer.example',
      AUTH_AUDIENCE: 'tasks-api, other-api',
    };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  const claims = { sub: 'alice', exp: now() + 600 };

  it('accepts the right issuer and any listed audience', async () => {
    for (const aud of ['tasks-api', 'other-api', ['x', 'tasks-api']]) {
      const token = await signToken({ ...claims, iss: 'https://issuer.example', aud });
      expect((await call(app, '/api/alice/auth-probe', `Bearer ${token}`)).status).toBe(200);
    }
  });

  it('401 INVALID_TOKEN for another or a missing issuer or audience', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ iss: 'https://evil.example', aud: 'tasks-api' }, 'iss'],
      [{ aud: 'tasks-api' }, 'iss'],
      [{ iss: 'https://issuer.example', aud: 'someone-else' }, 'aud'],
      [{ iss: 'https://issuer.example' }, 'aud'],
    ];
    for (const [extra, claim] of cases) {
      const token = await signToken({ ...claims, ...extra });
      const res = await call(app, '/api/alice/auth-probe', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        code: 'INVALID_TOKEN',
        details: { reason: 'claims', claim },
      });
    }
  });
});

describe('authentication with a JWKS (RS256, EdDSA)', () => {
  let jwks: JwksServer;
  let app: TestApp;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ed: { privateKey: CryptoKey; publicKey: CryptoKey };

  const publicJwk = async (key: CryptoKey, kid: string, alg: string): Promise<JWK> => ({
    ...(await exportJWK(key)),
    kid,
    alg,
    use: 'sig',
  });
  const sign = (key: CryptoKey, alg: string, kid: string | undefined, sub = 'alice') =>
    signToken({ sub, exp: now() + 300 }, { key, alg, kid });

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ed = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    jwks = await startJwksServer([
      await publicJwk(rsa.publicKey, 'rsa-1', 'RS256'),
      await publicJwk(ed.publicKey, 'ed-1', 'EdDSA'),
    ]);
    const env = {
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: jwks.url,
      AUTH_JWKS_COOLDOWN_MS: '100',
    };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  it('verifies RS256 and EdDSA tokens by kid', async () => {
    for (const token of [
      await sign(rsa.privateKey, 'RS256', 'rsa-1'),
      await sign(ed.privateKey, 'EdDSA', 'ed-1'),
    ]) {
      const res = await call(app, '/api/alice/auth-probe', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ user: 'alice' });
    }
  });

  it('refuses HS256 tokens, including one signed with the RSA public key as the secret', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await signToken({ sub: 'alice', exp: now() + 60 }, { key: pem });
    await expect401(
      app,
      '/api/alice/auth-probe',
      `Bearer ${confused}`,
      'INVALID_TOKEN',
      'algorithm',
    );
    await expect401(
      app,
      '/api/alice/auth-probe',
      `Bearer ${await tokenFor('alice')}`,
      'INVALID_TOKEN',
      'algorithm',
    );
  });

  it('refuses a token signed by a key that is not in the set', async () => {
    const stranger = await generateKeyPair('RS256');
    const token = await sign(stranger.privateKey, 'RS256', 'rsa-1');
    await expect401(app, '/api/alice/auth-probe', `Bearer ${token}`, 'INVALID_TOKEN', 'signature');
    const unknownKid = await sign(stranger.privateKey, 'RS256', 'who-is-this');
    await expect401(
      app,
      '/api/alice/auth-probe',
      `Bearer ${unknownKid}`,
      'INVALID_TOKEN',
      'unknown_key',
    );
  });

  it('follows a key rotation: a token with a new kid verifies after a refetch', async () => {
    const next = await generateKeyPair('RS256');
    const token = await sign(next.privateKey, 'RS256', 'rsa-2', 'rotated');
    await expect401(
      app,
      '/api/rotated/auth-probe',
      `Bearer ${token}`,
      'INVALID_TOKEN',
      'unknown_key',
    );
    const before = jwks.fetches;
    jwks.keys = [await publicJwk(next.publicKey, 'rsa-2', 'RS256')];
    const res = await call(app, '/api/rotated/auth-probe', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(jwks.fetches).toBe(before + 1);
    // The retired key no longer verifies new tokens.
    const old = await sign(rsa.privateKey, 'RS256', 'rsa-1', 'rotated');
    await expect401(
      app,
      '/api/rotated/auth-probe',
      `Bearer ${old}`,
      'INVALID_TOKEN',
      'unknown_key',
    );
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while the JWKS fails, and recovers', async () => {
    const token = await sign(ed.privateKey, 'EdDSA', 'ed-2', 'outage');
    jwks.failWith = 500;
    const res = await call(app, '/api/outage/auth-probe', `Bearer ${token}`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('www-authenticate')).toBeNull();
    jwks.failWith = undefined;
    jwks.keys = [await publicJwk(ed.publicKey, 'ed-2', 'EdDSA')];
    // After a failure the next fetch waits out a backoff (twice the cooldown): 503 until then.
    const started = Date.now();
    let status = 503;
    while (status === 503 && Date.now() - started < 3000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await call(app, '/api/outage/auth-probe', `Bearer ${token}`)).status;
    }
    expect(status).toBe(200);
  });
});

describe('authentication with both a secret and a JWKS', () => {
  let jwks: JwksServer;
  let app: TestApp;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    jwks = await startJwksServer([
      { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256' },
    ]);
    const env = { AUTH_JWKS_URL: jwks.url };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  it('verifies HS tokens with the secret and RS tokens with the JWKS, never crosswise', async () => {
    expect((await call(app, '/api/a/auth-probe', `Bearer ${await tokenFor('a')}`)).status).toBe(
      200,
    );
    const rs = await signToken(
      { sub: 'a', exp: now() + 300 },
      { key: rsa.privateKey, alg: 'RS256', kid: 'k1' },
    );
    expect((await call(app, '/api/a/auth-probe', `Bearer ${rs}`)).status).toBe(200);
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await signToken({ sub: 'a', exp: now() + 60 }, { key: pem });
    await expect401(app, '/api/a/auth-probe', `Bearer ${confused}`, 'INVALID_TOKEN', 'signature');
  });
});

describe('authentication while the JWKS server is down', () => {
  let app: TestApp;

  beforeAll(async () => {
    const env = {
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: await deadUrl(),
      AUTH_JWKS_TIMEOUT_MS: '1000',
    };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 503 with Retry-After for asymmetric tokens, and still 401 for a missing header', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await signToken(
      { sub: 'alice', exp: now() + 300 },
      { key: privateKey, alg: 'ES256', kid: 'k' },
    );
    for (let i = 0; i < 2; i++) {
      const res = await call(app, '/api/alice/auth-probe', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    }
    await expect401(app, '/api/alice/auth-probe', undefined, 'UNAUTHORIZED');
  });
});
