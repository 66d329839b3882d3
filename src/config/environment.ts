import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  getMetadataStorage,
  validateSync,
  ValidationError,
} from 'class-validator';
import { DEVELOPMENT_JWT_SECRET } from '../auth/development-secret';
import { LIST_PAGE_BYTES_DEFAULT, LIST_PAGE_BYTES_MIN } from '../tasks/task-rules';
import { IsCorsOrigins, IsHttpUrl, IsTrustedProxies } from './http-url.validator';
import { IsPostgresUrl } from './is-postgres-url.validator';
import { SQL_IDENTIFIER, SQL_TABLE_NAME } from '../auth/sql-identifiers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const PREPARED_STATEMENT_MODES = ['auto', true, false] as const;
export type PreparedStatementMode = (typeof PREPARED_STATEMENT_MODES)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * The process environment as the service accepts it. Every variable is listed here, with its
 * default, so `.env.example`, the README table and this class are the three places to keep in step.
 */
export class Environment {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Most connections the API port holds at once; past it a new one is closed on accept (0: no
   * cap). Size it to the pod: docs/operations.md, "Connections".
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  HTTP_MAX_CONNECTIONS = 4096;

  /**
   * An idle kept-alive connection is closed after this long. The default, Fastify's, is above
   * the 60 s idle timeout of the usual load balancers, so the balancer ends the connections it
   * pools and never reuses one the server just closed. Without such a balancer in front, a few
   * seconds is enough; a client that stops reading a response the kernel has already taken
   * holds that buffer (at most the kernel's send buffer, 4 MB) this long.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(blankToUndefined)
  @IsPostgresUrl()
  DATABASE_URL: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsPostgresUrl()
  DATABASE_MIGRATIONS_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_SIZE = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 5000;

  /**
   * Named prepared statements. `auto`: on, until the server answers that a statement name already
   * exists or does not exist (a transaction pooler that cannot keep them, e.g. PgBouncer < 1.21),
   * then unnamed for the rest of the process. `true`/`false` force them on or off.
   */
  @Transform(({ value }) =>
    typeof value === 'string' && value.trim().toLowerCase() === 'auto' ? 'auto' : toBool({ value }),
  )
  @IsIn(PREPARED_STATEMENT_MODES)
  DATABASE_PREPARED_STATEMENTS: PreparedStatementMode = 'auto';

  /**
   * Secret for HS256/HS384/HS512 bearer tokens (at least 32 bytes in production). No default:
   * `npm run dev` and `.env.example` set a development one. This or AUTH_JWKS_URL is required.
   */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  AUTH_JWT_SECRET?: string;

  /** JWKS of an identity provider, for RS*, PS*, ES* and EdDSA tokens (keys cached by `kid`). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsHttpUrl()
  AUTH_JWKS_URL?: string;

  /** When set, the token's `iss` must equal it. */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  /** When set, the token's `aud` must contain it (a comma-separated list accepts any of them). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  /** Clock skew allowed on `exp` and `nbf`, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_TOLERANCE_S = 30;

  /**
   * Least time between two JWKS fetches: a `kid` missing from the cached key set waits for the
   * next allowed fetch (so a rotated key is accepted at its first use); doubled after each failed
   * fetch, up to 60 s.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  AUTH_JWKS_COOLDOWN_MS = 1000;

  /** Keys are refetched after half of this and no longer trusted after all of it (a removed key stops working). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  AUTH_JWKS_MAX_AGE_MS = 300_000;

  /** Time allowed for one JWKS fetch; a failed fetch answers 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  AUTH_JWKS_TIMEOUT_MS = 5000;

  /**
   * Better Auth's opaque session tokens as bearer tokens: a token that is not a JWT is looked up
   * in its `session` table. Off by default.
   */
  @Transform(toBool)
  @IsBoolean()
  AUTH_SESSIONS_ENABLED = false;

  /** The database holding Better Auth's tables; unset: DATABASE_URL (the family keeps both in one). */
  @Transform(blankToUndefined)
  @IsOptional()
  @IsPostgresUrl()
  AUTH_SESSIONS_DATABASE_URL?: string;

  /** Better Auth's session table, optionally `schema.table`. */
  @Matches(SQL_TABLE_NAME, {
    message: 'must be a table name (letters, digits, _; schema.table allowed)',
  })
  AUTH_SESSIONS_TABLE = 'session';

  @Matches(SQL_IDENTIFIER, { message: 'must be a column name (letters, digits, _)' })
  AUTH_SESSIONS_TOKEN_COLUMN = 'token';

  @Matches(SQL_IDENTIFIER, { message: 'must be a column name (letters, digits, _)' })
  AUTH_SESSIONS_USER_ID_COLUMN = 'userId';

  @Matches(SQL_IDENTIFIER, { message: 'must be a column name (letters, digits, _)' })
  AUTH_SESSIONS_EXPIRES_AT_COLUMN = 'expiresAt';

  /**
   * How long a session lookup is reused, found or not (never past the session's expiry): a
   * signed-out session stops working within this time.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  AUTH_SESSIONS_CACHE_MS = 5000;

  /** Connections of the session lookups' own pool. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  AUTH_SESSIONS_POOL_SIZE = 2;

  /** Origins allowed to call the API from a browser: `*` or a comma-separated list; empty: none. */
  @IsCorsOrigins()
  CORS_ORIGINS = '';

  /** `Access-Control-Allow-Credentials: true` (not with `*`). Bearer tokens do not need it. */
  @Transform(toBool)
  @IsBoolean()
  CORS_CREDENTIALS = false;

  /** Per-user rate limiting of /api (by IP for requests without a user). */
  @Transform(toBool)
  @IsBoolean()
  RATE_LIMIT_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  RATE_LIMIT_TTL_MS = 60_000;

  /** Requests per user per RATE_LIMIT_TTL_MS window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_LIMIT = 600;

  /**
   * Refused requests (401, 403) per client address per RATE_LIMIT_TTL_MS window; beyond it the
   * address gets 429 on every API route until the window ends.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_REFUSED_LIMIT = 100;

  /**
   * IP addresses or CIDR ranges of the proxies in front of the service (comma-separated), whose
   * X-Forwarded-For names the client; empty (the default): the socket's peer is the client.
   */
  @IsTrustedProxies()
  TRUSTED_PROXIES = '';

  /**
   * Byte budget of one list page's JSON body: a page ends early, before the task that would pass
   * it, and its next link continues right after its last task (docs/security.md, "Page budget").
   */
  @Transform(toInt)
  @IsInt()
  @Min(LIST_PAGE_BYTES_MIN)
  @Max(64 * 1024 * 1024)
  LIST_PAGE_BYTES_MAX = LIST_PAGE_BYTES_DEFAULT;

  /**
   * Most tasks one user may own; a create beyond it is 409 QUOTA_EXCEEDED and stores nothing.
   * 0: no quota. 10,000 is far above what a person keeps, and bounds one user to ~500 MB.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  TASKS_PER_USER_MAX = 10_000;

  /**
   * After SIGTERM/SIGINT, how long the process keeps serving while `/health/ready` answers 503, so
   * the load balancer stops sending before the listener closes. Unset: 5000 in production, else 0.
   */
  @Transform((params) => toInt({ value: blankToUndefined(params) }))
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(300_000)
  SHUTDOWN_DRAIN_DELAY_MS?: number;

  /** After the drain delay, how long in-flight requests may take before the exit is forced. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 20_000;

  /**
   * The port of `/metrics` (and a second `/health/live`), apart from the API so it stays inside
   * the cluster. Unset: 9464 in production, else on `PORT`; PORT's own value: on `PORT`.
   */
  @Transform((params) => toInt({ value: blankToUndefined(params) }))
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /** Run pending migrations at startup, under the same advisory lock as `migration:run:prod`. */
  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN_ON_STARTUP = false;
}

/** The drain delay in effect: the variable when set, else 5 s in production and 0 elsewhere. */
export function drainDelayMs(env: Environment): number {
  return env.SHUTDOWN_DRAIN_DELAY_MS ?? (env.NODE_ENV === 'production' ? 5000 : 0);
}

/** Where Prometheus scrapes in production unless METRICS_PORT says otherwise (the manifests' port). */
export const PRODUCTION_METRICS_PORT = 9464;

/**
 * The port of the metrics listener, or undefined to serve `/metrics` on the API port: off the
 * public port by default in production (its scrape costs 50 health probes of CPU and shows the
 * process's internals), on it elsewhere so `npm run dev` has one port to look at.
 */
export function metricsPort(env: Environment): number | undefined {
  const port =
    env.METRICS_PORT ?? (env.NODE_ENV === 'production' ? PRODUCTION_METRICS_PORT : undefined);
  return port === env.PORT ? undefined : port;
}

/** Production secrets shorter than this are refused: HS256 wants a key as long as its hash. */
export const MIN_PRODUCTION_SECRET_BYTES = 32;

export type EnvironmentInput = Record<string, string | undefined>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** One line per bad variable, naming it; values are never echoed (they may hold a password). */
function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => {
    const reasons = Object.values(e.constraints ?? {}).map((m) => m.replace(/^\S+ /, ''));
    const missing = e.value === undefined;
    return missing
      ? `${e.property} is required but not set`
      : `${e.property} is invalid: ${reasons.join('; ')}`;
  });
}

/** Only our variables: the rest of the process environment is none of the config's business. */
function pickKnown(raw: EnvironmentInput): EnvironmentInput {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Environment, '', true, false)
      .map((m) => m.propertyName),
  );
  return Object.fromEntries(Object.entries(raw).filter(([key]) => known.has(key)));
}

/**
 * Validates the raw environment once; the Nest app (`main.ts`, AppConfigModule), the typeorm CLI
 * (`ormconfig.ts`) and the migrator call this, so they read the same variables the same way.
 */
export function validateEnvironment(
  raw: EnvironmentInput,
  options: { purpose?: EnvironmentPurpose } = {},
): Environment {
  const env = plainToInstance(Environment, pickKnown(raw), { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = [...describe(errors), ...crossChecks(env, options.purpose ?? 'app')];
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return env;
}

/**
 * `app`: the HTTP service, which cannot run without a way to verify tokens. `migrations`: the
 * typeorm CLI and other database-only tools, which never see a token.
 */
export type EnvironmentPurpose = 'app' | 'migrations';

/** Rules that involve more than one variable, in the same one-line-per-problem style. */
function crossChecks(env: Environment, purpose: EnvironmentPurpose): string[] {
  const problems: string[] = [];
  const secret = typeof env.AUTH_JWT_SECRET === 'string' ? env.AUTH_JWT_SECRET : undefined;
  if (
    purpose === 'app' &&
    secret === undefined &&
    env.AUTH_JWKS_URL === undefined &&
    env.AUTH_SESSIONS_ENABLED !== true
  ) {
    problems.push(
      'AUTH_JWT_SECRET or AUTH_JWKS_URL is required but neither is set (a secret for HS256 tokens, or the JWKS URL of an identity provider; or AUTH_SESSIONS_ENABLED=true for Better Auth session tokens)',
    );
  }
  if (
    env.NODE_ENV === 'production' &&
    env.AUTH_JWKS_URL !== undefined &&
    env.AUTH_ISSUER === undefined &&
    env.AUTH_AUDIENCE === undefined
  ) {
    problems.push(
      'AUTH_JWKS_URL needs AUTH_AUDIENCE or AUTH_ISSUER when NODE_ENV=production (neither is set): without them a token the identity provider issued for any other application is accepted',
    );
  }
  if (env.NODE_ENV === 'production' && secret !== undefined) {
    if (Buffer.byteLength(secret, 'utf8') < MIN_PRODUCTION_SECRET_BYTES) {
      problems.push(
        `AUTH_JWT_SECRET is invalid: must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes when NODE_ENV=production`,
      );
    } else if (secret === DEVELOPMENT_JWT_SECRET) {
      problems.push(
        'AUTH_JWT_SECRET is invalid: the development secret of .env.example is public; set your own when NODE_ENV=production',
      );
    }
  }
  if (env.CORS_CREDENTIALS === true && env.CORS_ORIGINS.trim() === '*') {
    problems.push(
      'CORS_CREDENTIALS is invalid: cannot be true when CORS_ORIGINS is *; list the origins',
    );
  }
  return problems;
}
