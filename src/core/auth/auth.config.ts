import { IsString, Matches } from 'class-validator';
import { AppConfig } from '../config/app.config';
import { Config, ConfigSection } from '../config/config';
import { EnvBool, EnvInt, EnvOptional, EnvOptionalInt } from '../config/env.decorators';
import { isHttpUrl, isPostgresUrl, POSTGRES_URL, Satisfies } from '../config/validators';
import { DatabaseConfig } from '../database/database.config';

/** What `.env.example`, `npm run dev` and `npm run token` use; public, so production refuses it. */
export const DEVELOPMENT_JWT_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
/** Unquoted identifier letters only, at most 63: quoting them (to keep camelCase) is safe. */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const SQL_TABLE_NAME = /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** HS256 wants a key as long as its hash. */
const MIN_PRODUCTION_SECRET_BYTES = 32;
/** Hosts an http:// JWKS is allowed on in production: nobody else is on the path. */
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const COLUMN = { message: 'must be a column name (letters, digits, _)' };

/** The variables are described in .env.example. */
@ConfigSection('auth')
export class AuthConfig {
  @EnvOptional(IsString())
  AUTH_JWT_SECRET?: string;

  @EnvOptional(Satisfies(isHttpUrl, 'must be an http:// or https:// URL'))
  AUTH_JWKS_URL?: string;

  @EnvOptional(IsString())
  AUTH_ISSUER?: string;

  @EnvOptional(IsString())
  AUTH_AUDIENCE?: string;

  @EnvInt(0, 300)
  AUTH_CLOCK_TOLERANCE_S = 30;

  @EnvInt(100, 3_600_000)
  AUTH_JWKS_COOLDOWN_MS = 1000;

  @EnvOptionalInt(60, 31_536_000)
  AUTH_MAX_TOKEN_AGE_S?: number;

  @EnvInt(1000, 86_400_000)
  AUTH_JWKS_MAX_AGE_MS = 300_000;

  @EnvInt(100, 60_000)
  AUTH_JWKS_TIMEOUT_MS = 5000;

  @EnvBool()
  AUTH_SESSIONS_ENABLED = false;

  @EnvOptional(Satisfies(isPostgresUrl, POSTGRES_URL))
  AUTH_SESSIONS_DATABASE_URL?: string;

  @Matches(SQL_TABLE_NAME, {
    message: 'must be a table name (letters, digits, _; schema.table allowed)',
  })
  AUTH_SESSIONS_TABLE = 'session';

  @Matches(SQL_IDENTIFIER, COLUMN)
  AUTH_SESSIONS_TOKEN_COLUMN = 'token';

  @Matches(SQL_IDENTIFIER, COLUMN)
  AUTH_SESSIONS_USER_ID_COLUMN = 'userId';

  @Matches(SQL_IDENTIFIER, COLUMN)
  AUTH_SESSIONS_EXPIRES_AT_COLUMN = 'expiresAt';

  @EnvInt(0, 60_000)
  AUTH_SESSIONS_CACHE_MS = 5000;

  @EnvInt(1, 100)
  AUTH_SESSIONS_POOL_SIZE = 2;

  /** Derived: where and how session lookups run (the app's database unless told otherwise). */
  sessions: { url: string; connectTimeoutMs: number; deadlineMs: number };

  check(config: Config): string[] {
    const database = config.get(DatabaseConfig);
    this.sessions = {
      url: this.AUTH_SESSIONS_DATABASE_URL ?? database.DATABASE_URL,
      connectTimeoutMs: database.DATABASE_CONNECT_TIMEOUT_MS,
      deadlineMs: database.deadlineMs,
    };
    const problems: string[] = [];
    const secret = this.AUTH_JWT_SECRET;
    if (secret === undefined && this.AUTH_JWKS_URL === undefined && !this.AUTH_SESSIONS_ENABLED) {
      problems.push(
        'AUTH_JWT_SECRET or AUTH_JWKS_URL is required but neither is set (a secret for HS256 tokens, or the JWKS URL of an identity provider; or AUTH_SESSIONS_ENABLED=true for Better Auth session tokens)',
      );
    }
    if (!config.get(AppConfig).production) return problems;
    const jwks = this.AUTH_JWKS_URL && new URL(this.AUTH_JWKS_URL);
    if (jwks && !this.audiences) {
      problems.push(
        'AUTH_AUDIENCE is required with AUTH_JWKS_URL when NODE_ENV=production: without it a token the identity provider issued for any other application is accepted',
      );
    }
    if (jwks && jwks.protocol !== 'https:' && !LOOPBACK.test(jwks.hostname)) {
      problems.push(
        'AUTH_JWKS_URL is invalid: must be an https:// URL when NODE_ENV=production (http:// only on a loopback host), else anyone on the path can swap the keys',
      );
    }
    if (secret !== undefined && Buffer.byteLength(secret) < MIN_PRODUCTION_SECRET_BYTES) {
      problems.push(
        `AUTH_JWT_SECRET is invalid: must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes when NODE_ENV=production`,
      );
    } else if (secret === DEVELOPMENT_JWT_SECRET) {
      problems.push(
        'AUTH_JWT_SECRET is invalid: the development secret of .env.example is public; set your own when NODE_ENV=production',
      );
    }
    return problems;
  }

  /** The accepted audiences, or undefined for any. */
  get audiences(): string[] | undefined {
    const list = this.AUTH_AUDIENCE?.split(',').flatMap((a) => a.trim() || []);
    return list?.length ? list : undefined;
  }
}
