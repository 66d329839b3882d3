import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { parseTokenArgs, runTokenCommand } from '../../scripts/token';
import { DEVELOPMENT_JWT_SECRET } from '../../src/core/auth/auth.config';
import { readFileSync } from 'node:fs';

describe('npm run token', () => {
  it('parses a user id and an optional --ttl', () => {
    expect(parseTokenArgs(['alice'])).toEqual({ userId: 'alice', ttl: '1h' });
    expect(parseTokenArgs(['--ttl', '15m', 'bob'])).toEqual({ userId: 'bob', ttl: '15m' });
  });

  it.each([
    [[]],
    [['']],
    [['a', 'b']],
    [['--x', 'a']],
    [['a', '--ttl']],
    [['a', '--ttl', 'soon']],
    [['x'.repeat(256)]],
  ])('refuses %j with the usage line', (argv) => {
    expect(() => parseTokenArgs(argv)).toThrow(/usage: npm run token/);
  });

  it('signs HS256 with AUTH_JWT_SECRET, with the configured issuer and first audience', async () => {
    const secret = 'x'.repeat(40);
    const { token, note } = await runTokenCommand(['alice', '--ttl', '2h'], {
      AUTH_JWT_SECRET: secret,
      AUTH_ISSUER: 'https://issuer.example',
      AUTH_AUDIENCE: 'tasks-api, other',
    });
    expect(note).toBeUndefined();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret));
    expect(payload).toMatchObject({
      sub: 'alice',
      iss: 'https://issuer.example',
      aud: 'tasks-api',
    });
    expect(payload.exp! - payload.iat!).toBe(7200);
  });

  it('falls back to the development secret outside production, with a note', async () => {
    const { token, note } = await runTokenCommand(['alice'], { AUTH_JWT_SECRET: ' ' });
    expect(note).toMatch(/development secret/);
    await expect(
      jwtVerify(token, new TextEncoder().encode(DEVELOPMENT_JWT_SECRET)),
    ).resolves.toBeDefined();
    expect(decodeJwt(token).iss).toBeUndefined();
  });

  it('refuses to fall back in production', async () => {
    await expect(runTokenCommand(['alice'], { NODE_ENV: 'production' })).rejects.toThrow(
      /AUTH_JWT_SECRET is not set/,
    );
  });

  it('uses the development secret that .env.example names (and leaves unset)', () => {
    const example = readFileSync('.env.example', 'utf8');
    expect(example).toContain(`(${DEVELOPMENT_JWT_SECRET})`);
    expect(example).not.toMatch(/^AUTH_JWT_SECRET=./m);
  });
});
