import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  getMetadataStorage,
  validateSync,
  ValidationError,
} from 'class-validator';
import { DEVELOPMENT_JWT_SECRET } from '../auth/development-secret';
import { IsCorsOrigins, IsHttpUrl } from './http-url.validator';
import { IsPostgresUrl } from './is-postgres-url.validator';

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

  /** Least time between two JWKS fetches caused by an unknown `kid`. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  AUTH_JWKS_COOLDOWN_MS = 30_000;

  /** Time allowed for one JWKS fetch; a failed fetch answers 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  AUTH_JWKS_TIMEOUT_MS = 5000;

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
  if (purpose === 'app' && secret === undefined && env.AUTH_JWKS_URL === undefined) {
    problems.push(
      'AUTH_JWT_SECRET or AUTH_JWKS_URL is required but neither is set (a secret for HS256 tokens, or the JWKS URL of an identity provider)',
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
