import { loadAppConfig } from '../../app.module';
import { ConfigValidationError } from '../config/config';
import { HttpConfig } from '../http/http.config';
import { RateLimitConfig } from '../rate-limit/rate-limit.config';
import { AuthConfig } from './auth.config';
import { DEVELOPMENT_JWT_SECRET } from './development-secret';

const base = { DATABASE_URL: 'postgres://u@localhost/tasks' };
const problems = (raw: Record<string, string | undefined>) => {
  try {
    loadAppConfig(raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.problems;
  }
};

describe('authentication and hardening configuration', () => {
  it('requires a secret or a JWKS URL for the app, in one line', () => {
    expect(problems(base)).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET or AUTH_JWKS_URL is required but neither is set/),
    ]);
    expect(problems({ ...base, AUTH_JWT_SECRET: '  ' })).toHaveLength(1);
  });

  it('accepts either key source, with defaults for the rest', () => {
    const config = loadAppConfig({ ...base, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' });
    expect(config.get(AuthConfig)).toMatchObject({
      AUTH_CLOCK_TOLERANCE_S: 30,
      AUTH_JWT_SECRET: undefined,
    });
    expect(config.get(HttpConfig)).toMatchObject({ CORS_ORIGINS: '', CORS_CREDENTIALS: false });
    expect({ ...config.get(RateLimitConfig) }).toEqual({
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_TTL_MS: 60_000,
      RATE_LIMIT_LIMIT: 600,
      RATE_LIMIT_REFUSED_LIMIT: 100,
    });
    expect(problems({ ...base, AUTH_JWT_SECRET: 'short' })).toEqual([]);
  });

  it('reads the audiences as a list, and where session lookups connect', () => {
    const config = loadAppConfig({ ...base, AUTH_JWT_SECRET: 's', AUTH_AUDIENCE: ' a, b ,,' });
    expect(config.get(AuthConfig).audiences).toEqual(['a', 'b']);
    expect(config.get(AuthConfig).sessions).toEqual({
      url: base.DATABASE_URL,
      connectTimeoutMs: 5000,
      deadlineMs: 6000,
    });
    expect(
      loadAppConfig({ ...base, AUTH_JWT_SECRET: 's' }).get(AuthConfig).audiences,
    ).toBeUndefined();
  });

  it('refuses a secret shorter than 32 bytes in production, not in development', () => {
    const prod = { ...base, NODE_ENV: 'production' };
    expect(problems({ ...prod, AUTH_JWT_SECRET: 'x'.repeat(31) })).toEqual([
      'AUTH_JWT_SECRET is invalid: must be at least 32 bytes when NODE_ENV=production',
    ]);
    // Bytes, not characters: 16 two-byte characters are 32 bytes.
    expect(problems({ ...prod, AUTH_JWT_SECRET: 'é'.repeat(16) })).toEqual([]);
    expect(problems({ ...base, NODE_ENV: 'development', AUTH_JWT_SECRET: 'dev' })).toEqual([]);
  });

  it('refuses the public development secret in production only', () => {
    const dev = { ...base, AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET };
    expect(problems({ ...dev, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET is invalid: the development secret/),
    ]);
    expect(problems({ ...dev, NODE_ENV: 'development' })).toEqual([]);
  });

  it('refuses a JWKS URL that is not http(s), without echoing it', () => {
    const found = problems({ ...base, AUTH_JWKS_URL: 'ftp://secret@host/jwks' });
    expect(found).toEqual([expect.stringMatching(/^AUTH_JWKS_URL is invalid/)]);
    expect(found[0]).not.toContain('secret@');
    expect(problems({ ...base, AUTH_JWKS_URL: 'not a url' })).toHaveLength(1);
  });

  it('checks CORS_ORIGINS and its combination with credentials', () => {
    const secret = { ...base, AUTH_JWT_SECRET: 's' };
    expect(problems({ ...secret, CORS_ORIGINS: '*' })).toEqual([]);
    expect(
      problems({ ...secret, CORS_ORIGINS: 'http://localhost:5173, https://a.example' }),
    ).toEqual([]);
    for (const bad of [
      'https://a.example/',
      'https://a.example/app',
      'a.example',
      '*,https://a.example',
      'ftp://a.example',
    ]) {
      expect(problems({ ...secret, CORS_ORIGINS: bad })).toEqual([
        expect.stringMatching(/^CORS_ORIGINS is invalid/),
      ]);
    }
    expect(problems({ ...secret, CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true' })).toEqual([
      'CORS_CREDENTIALS is invalid: cannot be true when CORS_ORIGINS is *; list the origins',
    ]);
  });

  it('bounds the rate limit settings', () => {
    const secret = { ...base, AUTH_JWT_SECRET: 's' };
    const config = loadAppConfig({ ...secret, RATE_LIMIT_ENABLED: 'off' });
    expect(config.get(RateLimitConfig).RATE_LIMIT_ENABLED).toBe(false);
    expect(problems({ ...secret, RATE_LIMIT_LIMIT: '0' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_LIMIT is invalid/),
    ]);
  });

  it('in production, refuses a JWKS without AUTH_AUDIENCE or AUTH_ISSUER, naming both', () => {
    const prod = { ...base, NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks' };
    expect(problems(prod)).toEqual([
      expect.stringMatching(
        /^AUTH_JWKS_URL needs AUTH_AUDIENCE or AUTH_ISSUER when NODE_ENV=production/,
      ),
    ]);
    expect(problems({ ...prod, AUTH_AUDIENCE: 'tasks-api' })).toEqual([]);
    expect(problems({ ...prod, AUTH_ISSUER: 'https://idp.example/' })).toEqual([]);
    expect(problems({ ...prod, NODE_ENV: 'development' })).toEqual([]);
  });

  it('accepts Better Auth sessions as the only token source, with its default names', () => {
    const auth = loadAppConfig({ ...base, AUTH_SESSIONS_ENABLED: 'true' }).get(AuthConfig);
    expect(auth).toMatchObject({
      AUTH_SESSIONS_ENABLED: true,
      AUTH_SESSIONS_TABLE: 'session',
      AUTH_SESSIONS_TOKEN_COLUMN: 'token',
      AUTH_SESSIONS_USER_ID_COLUMN: 'userId',
      AUTH_SESSIONS_EXPIRES_AT_COLUMN: 'expiresAt',
    });
    expect(auth.AUTH_SESSIONS_DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['AUTH_SESSIONS_TABLE', 'session"; DROP TABLE tasks; --'],
    ['AUTH_SESSIONS_TABLE', 'a.b.c'],
    ['AUTH_SESSIONS_TOKEN_COLUMN', 'to ken'],
    ['AUTH_SESSIONS_USER_ID_COLUMN', 'user.id'],
    ['AUTH_SESSIONS_EXPIRES_AT_COLUMN', 'x'.repeat(64)],
    ['AUTH_SESSIONS_DATABASE_URL', 'mysql://u@h/db'],
  ])('refuses %s=%j without echoing it', (name, value) => {
    const found = problems({ ...base, AUTH_SESSIONS_ENABLED: 'true', [name]: value });
    expect(found).toEqual([expect.stringMatching(new RegExp(`^${name} is invalid`))]);
    expect(found[0]).not.toContain(value);
  });

  it('accepts a schema-qualified table', () => {
    const config = loadAppConfig({
      ...base,
      AUTH_SESSIONS_ENABLED: 'true',
      AUTH_SESSIONS_TABLE: 'auth.session',
    });
    expect(config.get(AuthConfig).AUTH_SESSIONS_TABLE).toBe('auth.session');
  });
});
