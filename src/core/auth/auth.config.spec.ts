import { loadAppConfig } from '../../app.module';
import { AppConfig } from '../config/app.config';
import { ConfigValidationError, loadConfig } from '../config/config';
import { DatabaseConfig } from '../database/database.config';
import { AuthConfig, DEVELOPMENT_JWT_SECRET } from './auth.config';

const base = { DATABASE_URL: 'postgres://u@localhost/tasks' };
const auth = (raw: Record<string, string>) => loadAppConfig({ ...base, ...raw }).get(AuthConfig);
/** The problems loading the app's configuration reports (none when it loads). */
const problems = (raw: Record<string, string>) => {
  try {
    loadAppConfig({ ...base, ...raw });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.problems;
  }
};

describe('AuthConfig', () => {
  it('requires a secret, a JWKS URL or Better Auth sessions, in one line', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET or AUTH_JWKS_URL is required but neither is set/),
    ]);
    expect(problems({ AUTH_JWT_SECRET: '  ' })).toHaveLength(1);
    expect(problems({ AUTH_SESSIONS_ENABLED: 'true' })).toEqual([]);
  });

  it('is not needed by the migrator, which loads the app and database sections only', () => {
    expect(() => loadConfig(base, [AppConfig, DatabaseConfig])).not.toThrow();
  });

  it('accepts either key source, with defaults for the rest', () => {
    const config = auth({ AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' });
    expect(config).toMatchObject({
      AUTH_CLOCK_TOLERANCE_S: 30,
      AUTH_JWKS_COOLDOWN_MS: 1000,
      AUTH_JWKS_MAX_AGE_MS: 300_000,
      AUTH_JWKS_TIMEOUT_MS: 5000,
    });
    expect(config.AUTH_JWT_SECRET).toBeUndefined();
    expect(problems({ AUTH_JWT_SECRET: 'short' })).toEqual([]);
  });

  it('splits AUTH_AUDIENCE into the accepted audiences, none when blank', () => {
    expect(auth({ AUTH_JWT_SECRET: 's', AUTH_AUDIENCE: 'a, b,,' }).audiences).toEqual(['a', 'b']);
    expect(auth({ AUTH_JWT_SECRET: 's', AUTH_AUDIENCE: ' , ' }).audiences).toBeUndefined();
  });

  it('refuses a secret shorter than 32 bytes in production, not in development', () => {
    const prod = { NODE_ENV: 'production' };
    expect(problems({ ...prod, AUTH_JWT_SECRET: 'x'.repeat(31) })).toEqual([
      'AUTH_JWT_SECRET is invalid: must be at least 32 bytes when NODE_ENV=production',
    ]);
    // Bytes, not characters: 16 two-byte characters are 32 bytes.
    expect(problems({ ...prod, AUTH_JWT_SECRET: 'é'.repeat(16) })).toEqual([]);
    expect(problems({ NODE_ENV: 'development', AUTH_JWT_SECRET: 'dev' })).toEqual([]);
  });

  it('refuses the public development secret in production only', () => {
    const dev = { AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET };
    expect(problems({ ...dev, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET is invalid: the development secret/),
    ]);
    expect(problems({ ...dev, NODE_ENV: 'development' })).toEqual([]);
  });

  it('refuses a JWKS URL that is not http(s), without echoing it', () => {
    const found = problems({ AUTH_JWKS_URL: 'ftp://secret@host/jwks' });
    expect(found).toEqual([expect.stringMatching(/^AUTH_JWKS_URL is invalid/)]);
    expect(found[0]).not.toContain('secret@');
    expect(problems({ AUTH_JWKS_URL: 'not a url' })).toHaveLength(1);
  });

  it('in production, refuses a JWKS without AUTH_AUDIENCE (an issuer alone is not enough)', () => {
    const prod = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks' };
    const noAudience = [
      expect.stringMatching(
        /^AUTH_AUDIENCE is required with AUTH_JWKS_URL when NODE_ENV=production/,
      ),
    ];
    expect(problems(prod)).toEqual(noAudience);
    expect(problems({ ...prod, AUTH_ISSUER: 'https://idp.example/' })).toEqual(noAudience);
    expect(problems({ ...prod, AUTH_AUDIENCE: ' , ' })).toEqual(noAudience);
    expect(problems({ ...prod, AUTH_AUDIENCE: 'tasks-api' })).toEqual([]);
    expect(problems({ ...prod, NODE_ENV: 'development' })).toEqual([]);
  });

  it('in production, refuses an http:// JWKS unless its host is the loopback', () => {
    const prod = { NODE_ENV: 'production', AUTH_AUDIENCE: 'tasks-api' };
    expect(problems({ ...prod, AUTH_JWKS_URL: 'http://idp.example/jwks' })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL is invalid: must be an https:\/\/ URL/),
    ]);
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:9000']) {
      expect(problems({ ...prod, AUTH_JWKS_URL: `http://${host}/jwks` })).toEqual([]);
    }
    expect(problems({ AUTH_JWKS_URL: 'http://idp.example/jwks' })).toEqual([]);
  });

  it('looks sessions up in the app database by default, or in AUTH_SESSIONS_DATABASE_URL', () => {
    const config = auth({ AUTH_SESSIONS_ENABLED: 'true' });
    expect(config).toMatchObject({
      AUTH_SESSIONS_ENABLED: true,
      AUTH_SESSIONS_TABLE: 'session',
      AUTH_SESSIONS_TOKEN_COLUMN: 'token',
      AUTH_SESSIONS_USER_ID_COLUMN: 'userId',
      AUTH_SESSIONS_EXPIRES_AT_COLUMN: 'expiresAt',
      sessions: { url: base.DATABASE_URL },
    });
    const elsewhere = 'postgres://auth@localhost/better_auth';
    const own = auth({ AUTH_SESSIONS_ENABLED: 'true', AUTH_SESSIONS_DATABASE_URL: elsewhere });
    expect(own.sessions.url).toBe(elsewhere);
  });

  it.each([
    ['AUTH_SESSIONS_TABLE', 'session"; DROP TABLE tasks; --'],
    ['AUTH_SESSIONS_TABLE', 'a.b.c'],
    ['AUTH_SESSIONS_TOKEN_COLUMN', 'to ken'],
    ['AUTH_SESSIONS_USER_ID_COLUMN', 'user.id'],
    ['AUTH_SESSIONS_EXPIRES_AT_COLUMN', 'x'.repeat(64)],
    ['AUTH_SESSIONS_DATABASE_URL', 'mysql://u@h/db'],
  ])('refuses %s=%j without echoing it', (name, value) => {
    const found = problems({ AUTH_SESSIONS_ENABLED: 'true', [name]: value });
    expect(found).toEqual([expect.stringMatching(new RegExp(`^${name} is invalid`))]);
    expect(found[0]).not.toContain(value);
  });

  it('accepts a schema-qualified table', () => {
    const config = auth({ AUTH_SESSIONS_ENABLED: 'true', AUTH_SESSIONS_TABLE: 'auth.session' });
    expect(config.AUTH_SESSIONS_TABLE).toBe('auth.session');
  });
});
