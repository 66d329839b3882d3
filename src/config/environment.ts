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
import { IsPostgresUrl } from './is-postgres-url.validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;

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

  /** Named prepared statements; off for poolers that cannot keep them (PgBouncer < 1.21). */
  @Transform(toBool)
  @IsBoolean()
  DATABASE_PREPARED_STATEMENTS = true;

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

  /** A separate port for `/metrics`; unset serves it on `PORT`. */
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
 * Validates the raw environment once; both the Nest app (ConfigModule `validate`) and the
 * typeorm CLI (`ormconfig.ts`) call this, so they read the same variables the same way.
 */
export function validateEnvironment(raw: EnvironmentInput): Environment {
  const env = plainToInstance(Environment, pickKnown(raw), { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors));
  return env;
}
