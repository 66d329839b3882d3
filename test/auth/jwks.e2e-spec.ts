import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { fetchKeySet, Jwks, JWKS_MAX_BYTES } from '../../src/core/auth/jwks';
import { AuthConfig } from '../../src/core/auth/auth.config';
import { KeySetUnavailableError } from '../../src/core/auth/auth.errors';
import { TokenVerifier } from '../../src/core/auth/token-verifier';
import { AuthProbeModule } from '../support/auth-probe.module';
import type { HttpResponse } from '../support/http';
import { deadUrl, JwksServer, startJwksServer } from '../support/jwks-server';
import { startTestApp, TestApp } from '../support/test-app';
import { testEnvironment } from '../support/test-database';
import { signToken } from '../support/tokens';

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };
const now = () => Math.floor(Date.now() / 1000);
const publicJwk = async (pair: KeyPair, kid: string): Promise<JWK> => ({
  ...(await exportJWK(pair.publicKey)),
  kid,
  alg: 'ES256',
  use: 'sig',
});
const sign = (pair: KeyPair, kid: string, sub = 'alice') =>
  signToken(
    { sub, exp: now() + 300, jti: randomUUID() },
    { key: pair.privateKey, alg: 'ES256', kid },
  );
const probe = (app: TestApp, token: string): Promise<HttpResponse> =>
  app.http.raw('GET', '/api/alice/auth-probe', {
    headers: { authorization: `Bearer ${token}` },
    timeoutMs: 10_000,
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends requests from `workers` loops for `ms` (at most `max` in all); the statuses seen. */
async function flood(send: () => Promise<HttpResponse>, ms: number, max = 2000, workers = 10) {
  const statuses = new Map<number, number>();
  const until = Date.now() + ms;
  let sent = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until && sent < max) {
        sent += 1;
        const { status } = await send();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

async function appOn(jwks: JwksServer, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    database: { migrate: false },
    env: { AUTH_JWT_SECRET: '', AUTH_JWKS_URL: jwks.url, ...env },
    extraModules: [AuthProbeModule],
  });
}

describe('a JWKS that follows a rotating identity provider (defaults: 1 s interval)', () => {
  let jwks: JwksServer;
  let app: TestApp;
  let a: KeyPair;
  let b: KeyPair;

  beforeAll(async () => {
    [a, b] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
    jwks = await startJwksServer([await publicJwk(a, 'a')]);
    app = await appOn(jwks);
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  it('accepts a key added to the JWKS at its first use, with one more fetch', async () => {
    expect((await probe(app, await sign(a, 'a'))).status).toBe(200);
    expect(jwks.fetches).toBe(1);
    jwks.keys = [await publicJwk(a, 'a'), await publicJwk(b, 'b')];
    const started = Date.now();
    const res = await probe(app, await sign(b, 'b'));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(jwks.fetches).toBe(2);
  });

  it('bounds fetches under a flood of unknown kids: about one a second, every answer a 401', async () => {
    const stranger = await generateKeyPair('ES256');
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sign(stranger, `unknown-${i}`)),
    );
    let i = 0;
    const before = jwks.fetches;
    const statuses = await flood(() => probe(app, tokens[i++ % tokens.length]), 3000);
    expect([...statuses.keys()]).toEqual([401]);
    expect(jwks.fetches - before).toBeLessThanOrEqual(4);
  });
});

describe('a JWKS that fails: exponential backoff, 503 meanwhile', () => {
  let jwks: JwksServer;
  let app: TestApp;
  let a: KeyPair;

  beforeAll(async () => {
    a = await generateKeyPair('ES256');
    jwks = await startJwksServer([await publicJwk(a, 'a')]);
    jwks.failWith = 500;
    app = await appOn(jwks);
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  it('fetches a failing JWKS a handful of times under a flood of unknown kids, then recovers', async () => {
    const stranger = await generateKeyPair('ES256');
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sign(stranger, `flood-${i}`)),
    );
    let i = 0;
    const statuses = await flood(() => probe(app, tokens[i++ % tokens.length]), 4000);
    expect([...statuses.keys()]).toEqual([503]);
    // Attempts at 0 s and 2 s (then 6 s, 14 s, 30 s, then one a minute).
    expect(jwks.fetches).toBeGreaterThanOrEqual(1);
    expect(jwks.fetches).toBeLessThanOrEqual(3);
    const res = await probe(app, tokens[0]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    jwks.failWith = undefined;
    const token = await sign(a, 'a');
    const started = Date.now();
    while ((await probe(app, token)).status !== 200) {
      if (Date.now() - started > 10_000) throw new Error('no recovery within 10 s');
      await sleep(200);
    }
  });
});

describe('a key removed from the JWKS', () => {
  let jwks: JwksServer;
  let app: TestApp;
  let a: KeyPair;
  let b: KeyPair;

  beforeAll(async () => {
    [a, b] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
    jwks = await startJwksServer([await publicJwk(a, 'a'), await publicJwk(b, 'b')]);
    app = await appOn(jwks, { AUTH_JWKS_MAX_AGE_MS: '1000', AUTH_JWKS_COOLDOWN_MS: '100' });
  });

  afterAll(async () => {
    await app?.close();
    await jwks?.close();
  });

  it('stops being trusted within AUTH_JWKS_MAX_AGE_MS, even for a token already verified', async () => {
    const token = await sign(a, 'a');
    expect((await probe(app, token)).status).toBe(200);
    jwks.keys = [await publicJwk(b, 'b')];
    const started = Date.now();
    let res = await probe(app, token);
    while (res.status === 200 && Date.now() - started < 5000) {
      await sleep(100);
      res = await probe(app, token);
    }
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ details: { reason: 'unknown_key' } });
    expect(Date.now() - started).toBeLessThanOrEqual(1500);
    expect((await probe(app, await sign(b, 'b'))).status).toBe(200);
    expect(app.get(TokenVerifier).jwks).toBeDefined();
  });
});

describe('fetching the JWKS', () => {
  let jwks: JwksServer;
  /** What jose's remote set asks of its fetch. */
  const load = (url: string, timeoutMs = 1000) =>
    fetchKeySet(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });

  beforeAll(async () => {
    jwks = await startJwksServer([]);
  });

  afterEach(() => {
    jwks.answer = undefined;
    jwks.silent = undefined;
  });

  afterAll(async () => {
    await jwks?.close();
  });

  it('reads a key set', async () => {
    await expect((await load(jwks.url)).json()).resolves.toEqual({ keys: [] });
  });

  it.each([
    [
      'larger than the bound (declared)',
      {
        status: 200,
        body: ' '.repeat(JWKS_MAX_BYTES + 1),
        headers: { 'content-length': String(JWKS_MAX_BYTES + 1) },
      },
      /larger than/,
    ],
    ['not JSON', { status: 200, body: '<html>' }, /not JSON/],
    ['without keys', { status: 200, body: '{"keys":"no"}' }, /"keys" array/],
    ['null', { status: 200, body: 'null' }, /"keys" array/],
    ['a redirect', { status: 302, body: '', headers: { location: 'http://127.0.0.1:1/' } }, /./],
    ['an error status', { status: 404, body: 'nope' }, /HTTP 404/],
  ])('refuses an answer that is %s', async (_, answer, message) => {
    jwks.answer = answer;
    await expect(load(jwks.url)).rejects.toThrow(message);
  });

  it('refuses a body over the bound that declares no length (chunked)', async () => {
    jwks.answer = {
      status: 200,
      body: `{"keys":[],"pad":"${'x'.repeat(JWKS_MAX_BYTES)}"}`,
      headers: { 'transfer-encoding': 'chunked' },
    };
    await expect(load(jwks.url)).rejects.toThrow(/larger than/);
  });

  it('is what jose fetches with: a failed fetch is a KeySetUnavailableError (503)', async () => {
    jwks.answer = { status: 200, body: `{"keys":[],"pad":"${'x'.repeat(JWKS_MAX_BYTES)}"}` };
    const config = testEnvironment('postgres://unused@127.0.0.1/none', { AUTH_JWKS_URL: jwks.url });
    const set = new Jwks(config.get(AuthConfig));
    const lookup = set.getKey({ alg: 'ES256', kid: 'a' }, { payload: '', signature: '' });
    await expect(lookup).rejects.toBeInstanceOf(KeySetUnavailableError);
    await expect(lookup).rejects.toThrow(/^JWKS unavailable: the JWKS is larger than/);
  });

  it('gives up on a JWKS that does not answer within the timeout', async () => {
    jwks.silent = true;
    const started = Date.now();
    await expect(load(jwks.url, 300)).rejects.toThrow(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('names the socket error of an unreachable JWKS, not its URL', async () => {
    const url = await deadUrl();
    const failure = load(url);
    await expect(failure).rejects.toThrow(/ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(new URL(url).port);
  });
});
