import { ConfigSection } from '../config/config';
import { EnvBool, EnvInt, EnvOptional } from '../config/env.decorators';
import { isRedisUrl, Satisfies } from '../config/validators';

@ConfigSection('rateLimit')
export class RateLimitConfig {
  /** Per-user limit of /api requests, and the per-address limit on refused ones. */
  @EnvBool()
  RATE_LIMIT_ENABLED = true;

  @EnvInt(100, 86_400_000)
  RATE_LIMIT_TTL_MS = 60_000;

  /** Requests per user per window. */
  @EnvInt(1, 1_000_000)
  RATE_LIMIT_LIMIT = 600;

  /** Costly token verifications (session lookups, JWKS refetches) refused per address per window. */
  @EnvInt(1, 1_000_000)
  RATE_LIMIT_REFUSED_LIMIT = 100;

  /** Both limits counted in this Redis, shared by every replica; unset: each process alone. */
  @EnvOptional(Satisfies(isRedisUrl, 'must be a redis:// or rediss:// URL with a host'))
  RATE_LIMIT_REDIS_URL?: string;

  /** How long a request waits for Redis before it is counted in the process instead. */
  @EnvInt(1, 10_000)
  RATE_LIMIT_REDIS_TIMEOUT_MS = 50;
}
