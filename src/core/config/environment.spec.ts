import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfigModule, ENVIRONMENT_NAMESPACE } from './app-config.module';
import { loadEnvFile } from './env-file';
import { ConfigValidationError, Environment, validateEnvironment } from './environment';
import { isPostgresUrl } from './is-postgres-url.validator';

const URL_OK = 'postgres://app:pw@db.example.com:5432/tasks';
/** The app needs a token key source (auth-environment.spec.ts covers those rules). */
const AUTH = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-bytes-0000' };

function problems(raw: Record<string, string | undefined>): string[] {
  try {
    validateEnvironment(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('validateEnvironment', () => {
  it('applies every default when only DATABASE_URL is set', () => {
    const env = validateEnvironment({ ...AUTH, DATABASE_URL: URL_OK });
    expect(env).toBeInstanceOf(Environment);
    expect({ ...env }).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      HTTP_MAX_CONNECTIONS: 4096,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000,
      LOG_LEVEL: 'info',
      DATABASE_URL: URL_OK,
      DATABASE_POOL_SIZE: 10,
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 5000,
      DATABASE_PREPARED_STATEMENTS: 'auto',
      AUTH_JWT_SECRET: AUTH.AUTH_JWT_SECRET,
      AUTH_CLOCK_TOLERANCE_S: 30,
      AUTH_JWKS_COOLDOWN_MS: 1000,
      AUTH_JWKS_MAX_AGE_MS: 300_000,
      AUTH_JWKS_TIMEOUT_MS: 5000,
      AUTH_SESSIONS_ENABLED: false,
      AUTH_SESSIONS_TABLE: 'session',
      AUTH_SESSIONS_TOKEN_COLUMN: 'token',
      AUTH_SESSIONS_USER_ID_COLUMN: 'userId',
      AUTH_SESSIONS_EXPIRES_AT_COLUMN: 'expiresAt',
      AUTH_SESSIONS_CACHE_MS: 5000,
      AUTH_SESSIONS_POOL_SIZE: 2,
      CORS_ORIGINS: '',
      CORS_CREDENTIALS: false,
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_TTL_MS: 60_000,
      RATE_LIMIT_LIMIT: 600,
      RATE_LIMIT_REFUSED_LIMIT: 100,
      TRUSTED_PROXIES: '',
      LIST_PAGE_BYTES_MAX: 1024 * 1024,
      TASKS_PER_USER_MAX: 10_000,
      SHUTDOWN_TIMEOUT_MS: 20_000,
      MIGRATIONS_RUN_ON_STARTUP: false,
    });
  });

  it('reads every variable, converting numbers and booleans', () => {
    const env = validateEnvironment({
      ...AUTH,
      NODE_ENV: 'production',
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgresql://u@h/db?sslmode=require',
      DATABASE_MIGRATIONS_URL: 'postgres://u@direct/db',
      DATABASE_POOL_SIZE: '3',
      DATABASE_CONNECT_TIMEOUT_MS: '250',
      DATABASE_STATEMENT_TIMEOUT_MS: '60000',
      DATABASE_PREPARED_STATEMENTS: 'off',
    });
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      PORT: 8080,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      DATABASE_MIGRATIONS_URL: 'postgres://u@direct/db',
      DATABASE_POOL_SIZE: 3,
      DATABASE_CONNECT_TIMEOUT_MS: 250,
      DATABASE_STATEMENT_TIMEOUT_MS: 60000,
      DATABASE_PREPARED_STATEMENTS: false,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['auto', 'auto'],
    [' AUTO ', 'auto'],
  ])('reads DATABASE_PREPARED_STATEMENTS=%s as %s', (raw, expected) => {
    const env = validateEnvironment({
      ...AUTH,
      DATABASE_URL: URL_OK,
      DATABASE_PREPARED_STATEMENTS: raw,
    });
    expect(env.DATABASE_PREPARED_STATEMENTS).toBe(expected);
  });

  it('says DATABASE_URL is required when it is missing or blank', () => {
    expect(problems(AUTH)).toEqual(['DATABASE_URL is required but not set']);
    expect(problems({ ...AUTH, DATABASE_URL: '   ' })).toEqual([
      'DATABASE_URL is required but not set',
    ]);
  });

  it.each([
    'mysql://u:p@h/db',
    'postgres://u:p@h',
    'postgres://u:p@h/',
    'postgres://u:p@h/a/b',
    'not a url',
    'postgres:///db',
  ])('refuses DATABASE_URL=%s without echoing the value', (value) => {
    const [problem, ...rest] = problems({ ...AUTH, DATABASE_URL: value });
    expect(rest).toEqual([]);
    expect(problem).toBe(
      'DATABASE_URL is invalid: must be a postgres:// or postgresql:// URL with a host and a database name',
    );
  });

  it('lists one line per bad variable, never their values', () => {
    const found = problems({
      ...AUTH,
      DATABASE_URL: URL_OK,
      NODE_ENV: 'staging',
      PORT: '70000',
      LOG_LEVEL: 'loud',
      DATABASE_MIGRATIONS_URL: 'http://secret-host/db',
      DATABASE_POOL_SIZE: '0',
      DATABASE_CONNECT_TIMEOUT_MS: 'soon',
      DATABASE_STATEMENT_TIMEOUT_MS: '1.5',
      DATABASE_PREPARED_STATEMENTS: 'maybe',
    });
    expect(found.map((p) => p.split(' ')[0]).sort()).toEqual(
      [
        'NODE_ENV',
        'PORT',
        'LOG_LEVEL',
        'DATABASE_MIGRATIONS_URL',
        'DATABASE_POOL_SIZE',
        'DATABASE_CONNECT_TIMEOUT_MS',
        'DATABASE_STATEMENT_TIMEOUT_MS',
        'DATABASE_PREPARED_STATEMENTS',
      ].sort(),
    );
    expect(found.join('\n')).not.toMatch(/secret-host|staging|70000|loud|maybe|soon/);
    expect(found.every((p) => / is invalid: /.test(p))).toBe(true);
  });

  it('treats a blank DATABASE_MIGRATIONS_URL as unset', () => {
    const env = validateEnvironment({ ...AUTH, DATABASE_URL: URL_OK, DATABASE_MIGRATIONS_URL: '' });
    expect(env.DATABASE_MIGRATIONS_URL).toBeUndefined();
  });

  it('ignores variables it does not know', () => {
    const env = validateEnvironment({ ...AUTH, DATABASE_URL: URL_OK, PATH: '/bin', SECRET: 'x' });
    expect(env).not.toHaveProperty('PATH');
    expect(env).not.toHaveProperty('SECRET');
  });

  it('formats the error as a heading and an indented line per problem', () => {
    expect(new ConfigValidationError(['A is bad', 'B is bad']).message).toBe(
      'Invalid configuration:\n  - A is bad\n  - B is bad',
    );
  });
});

describe('isPostgresUrl', () => {
  it('accepts both schemes, IPv6 hosts and encoded database names', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u:p%40ss@[::1]:5433/my%20db?sslmode=require')).toBe(true);
  });

  it('refuses anything that is not a string', () => {
    expect(isPostgresUrl(undefined)).toBe(false);
    expect(isPostgresUrl(5432)).toBe(false);
  });
});

describe('AppConfigModule', () => {
  async function configured(environment?: Environment) {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(environment)],
    }).compile();
    return { env: moduleRef.get(Environment), config: moduleRef.get(ConfigService) };
  }

  it('provides the environment it is given, by its class and through ConfigService', async () => {
    const given = validateEnvironment({ ...AUTH, DATABASE_URL: URL_OK, PORT: '4100' });
    const { env, config } = await configured(given);
    expect(env).toBe(given);
    expect(config.get<number>(`${ENVIRONMENT_NAMESPACE}.PORT`)).toBe(4100);
  });

  it('reads nothing of process.env itself: only the validated values', async () => {
    process.env.TASKS_API_SPEC_STRAY = 'x';
    try {
      const { config } = await configured(validateEnvironment({ ...AUTH, DATABASE_URL: URL_OK }));
      expect(config.get('TASKS_API_SPEC_STRAY')).toBeUndefined();
    } finally {
      delete process.env.TASKS_API_SPEC_STRAY;
    }
  });

  it('validates process.env when given nothing', async () => {
    const saved = process.env.DATABASE_URL;
    const savedSecret = process.env.AUTH_JWT_SECRET;
    process.env.DATABASE_URL = URL_OK;
    process.env.AUTH_JWT_SECRET = AUTH.AUTH_JWT_SECRET;
    try {
      const { env } = await configured();
      expect(env.DATABASE_URL).toBe(URL_OK);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      if (savedSecret === undefined) delete process.env.AUTH_JWT_SECRET;
      else process.env.AUTH_JWT_SECRET = savedSecret;
    }
  });
});

describe('loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasks-api-env-'));
  // jest gives each test file its own copy of process.env, which Node's loader does not write
  // to; what is checked here is the decision to load, Node's loader does the rest.
  const loader = jest.spyOn(process, 'loadEnvFile').mockImplementation(() => undefined);

  afterEach(() => loader.mockClear());
  afterAll(() => {
    loader.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the file when there is one', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'LOG_LEVEL=debug\n');
    loadEnvFile(file);
    expect(loader).toHaveBeenCalledWith(file);
  });

  it('looks for .env in the working directory by default', () => {
    loadEnvFile();
    expect(loader.mock.calls).toEqual(existsSync('.env') ? [['.env']] : []);
  });

  it('does nothing when there is no file', () => {
    loadEnvFile(join(dir, 'missing.env'));
    expect(loader).not.toHaveBeenCalled();
  });
});
