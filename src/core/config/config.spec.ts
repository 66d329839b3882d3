import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { loadAppConfig } from '../../app.module';
import { DatabaseConfig } from '../database/database.config';
import { HttpConfig } from '../http/http.config';
import { RateLimitConfig } from '../rate-limit/rate-limit.config';
import { AppConfig, AppConfigModule } from './app.config';
import {
  configProvider,
  ConfigValidationError,
  loadConfig,
  loadEnvFile,
  variablesOf,
} from './config';
import { isHttpUrl, isPostgresUrl } from './validators';

const URL_OK = 'postgres://app:pw@db.example.com:5432/tasks';
/** The app needs a token key source (auth.config.spec.ts covers those rules). */
const AUTH = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-bytes-0000' };

function problems(raw: Record<string, string | undefined>): string[] {
  try {
    loadAppConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the defaults, section by section', () => {
    const config = loadAppConfig({ ...AUTH, DATABASE_URL: URL_OK });
    expect({ ...config.get(AppConfig) }).toEqual({ NODE_ENV: 'development', LOG_LEVEL: 'info' });
    expect({ ...config.get(DatabaseConfig) }).toEqual({
      DATABASE_URL: URL_OK,
      DATABASE_POOL_SIZE: 10,
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 5000,
      DATABASE_PREPARED_STATEMENTS: 'auto',
      MIGRATIONS_RUN_ON_STARTUP: false,
    });
    expect(config.get(HttpConfig)).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      HTTP_MAX_CONNECTIONS: 4096,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 72_000,
      TRUSTED_PROXIES: '',
      CORS_ORIGINS: '',
      CORS_CREDENTIALS: false,
      // The JWKS timeout, one query's deadline and a margin.
      socketTimeoutMs: 5000 + 6000 + 2000,
    });
  });

  it('reads every variable, converting numbers and booleans', () => {
    const config = loadAppConfig({
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
    expect(config.get(AppConfig)).toMatchObject({ NODE_ENV: 'production', LOG_LEVEL: 'debug' });
    expect(config.get(HttpConfig)).toMatchObject({ PORT: 8080, HOST: '127.0.0.1' });
    expect(config.get(DatabaseConfig)).toMatchObject({
      DATABASE_MIGRATIONS_URL: 'postgres://u@direct/db',
      DATABASE_POOL_SIZE: 3,
      DATABASE_CONNECT_TIMEOUT_MS: 250,
      DATABASE_STATEMENT_TIMEOUT_MS: 60000,
      deadlineMs: 61000,
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
    const config = loadAppConfig({
      ...AUTH,
      DATABASE_URL: URL_OK,
      DATABASE_PREPARED_STATEMENTS: raw,
    });
    expect(config.get(DatabaseConfig).DATABASE_PREPARED_STATEMENTS).toBe(expected);
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
    expect(problems({ ...AUTH, DATABASE_URL: value })).toEqual([
      'DATABASE_URL is invalid: must be a postgres:// or postgresql:// URL with a host and a database name',
    ]);
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

  it('treats a blank optional value as unset, and ignores variables it does not know', () => {
    const config = loadAppConfig({
      ...AUTH,
      DATABASE_URL: URL_OK,
      DATABASE_MIGRATIONS_URL: '',
      PATH: '/bin',
    });
    expect(config.get(DatabaseConfig).DATABASE_MIGRATIONS_URL).toBeUndefined();
    expect(config.get(DatabaseConfig)).not.toHaveProperty('PATH');
  });

  it('loads only the sections asked for: the migrator needs no token configuration', () => {
    const config = loadConfig({ DATABASE_URL: URL_OK }, [AppConfig, DatabaseConfig]);
    expect(config.get(DatabaseConfig).DATABASE_URL).toBe(URL_OK);
    expect(() => config.get(HttpConfig)).toThrow('HttpConfig was not loaded');
    expect(variablesOf(AppConfig).sort()).toEqual(['LOG_LEVEL', 'NODE_ENV']);
  });

  it('formats the error as a heading and an indented line per problem', () => {
    expect(new ConfigValidationError(['A is bad', 'B is bad']).message).toBe(
      'Invalid configuration:\n  - A is bad\n  - B is bad',
    );
  });
});

describe('HTTP and rate limit sections', () => {
  const secret = { ...AUTH, DATABASE_URL: URL_OK };

  it('checks CORS_ORIGINS and its combination with credentials', () => {
    expect(() => loadAppConfig({ ...secret, CORS_ORIGINS: '*' })).not.toThrow();
    expect(() =>
      loadAppConfig({ ...secret, CORS_ORIGINS: 'http://localhost:5173, https://a.example' }),
    ).not.toThrow();
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

  it('reads and bounds the rate limit settings', () => {
    expect({ ...loadAppConfig(secret).get(RateLimitConfig) }).toEqual({
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_TTL_MS: 60_000,
      RATE_LIMIT_LIMIT: 600,
      RATE_LIMIT_REFUSED_LIMIT: 100,
      RATE_LIMIT_REDIS_URL: undefined,
      RATE_LIMIT_REDIS_TIMEOUT_MS: 50,
    });
    const redis = 'rediss://:secret@redis.internal:6380/0';
    expect(
      loadAppConfig({ ...secret, RATE_LIMIT_REDIS_URL: redis }).get(RateLimitConfig),
    ).toMatchObject({ RATE_LIMIT_REDIS_URL: redis });
    expect(problems({ ...secret, RATE_LIMIT_REDIS_URL: 'http://redis:6379' })).toEqual([
      'RATE_LIMIT_REDIS_URL is invalid: must be a redis:// or rediss:// URL with a host',
    ]);
    const off = loadAppConfig({ ...secret, RATE_LIMIT_ENABLED: 'off' }).get(RateLimitConfig);
    expect(off.RATE_LIMIT_ENABLED).toBe(false);
    expect(problems({ ...secret, RATE_LIMIT_LIMIT: '0' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_LIMIT is invalid/),
    ]);
  });
});

describe('validators', () => {
  it('isPostgresUrl: both schemes, IPv6 hosts, encoded names; nothing but strings', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u:p%40ss@[::1]:5433/my%20db?sslmode=require')).toBe(true);
    expect(isPostgresUrl(undefined)).toBe(false);
    expect(isPostgresUrl(5432)).toBe(false);
  });

  it('isHttpUrl', () => {
    expect(isHttpUrl('https://idp.example/.well-known/jwks.json')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:9/jwks')).toBe(true);
    for (const bad of [undefined, 42, '', 'idp.example', 'file:///etc/passwd']) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });
});

describe('AppConfigModule', () => {
  it('provides each section by its class and as a ConfigService namespace, nothing of process.env', async () => {
    const config = loadAppConfig({ ...AUTH, DATABASE_URL: URL_OK, PORT: '4100' });
    process.env.TASKS_API_SPEC_STRAY = 'x';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [AppConfigModule.forRoot(config)],
        providers: [configProvider(HttpConfig)],
      }).compile();
      expect(moduleRef.get(HttpConfig)).toBe(config.get(HttpConfig));
      expect(moduleRef.get(AppConfig)).toBe(config.get(AppConfig));
      const service = moduleRef.get(ConfigService);
      expect(service.get<number>('http.PORT')).toBe(4100);
      expect(service.get('TASKS_API_SPEC_STRAY')).toBeUndefined();
    } finally {
      delete process.env.TASKS_API_SPEC_STRAY;
    }
  });

  it('refuses to provide a class that is not a section', () => {
    expect(() => configProvider(class NotASection {})).toThrow(
      'NotASection is not a @ConfigSection',
    );
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

  it('loads the file when there is one, by default .env in the working directory', () => {
    const file = join(dir, '.env');
    writeFileSync(file, 'LOG_LEVEL=debug\n');
    loadEnvFile(file);
    expect(loader).toHaveBeenCalledWith(file);
    loader.mockClear();
    loadEnvFile();
    expect(loader.mock.calls).toEqual(existsSync('.env') ? [['.env']] : []);
  });

  it('does nothing when there is no file', () => {
    loadEnvFile(join(dir, 'missing.env'));
    expect(loader).not.toHaveBeenCalled();
  });
});
