import { ConfigSection } from '../config/config';
import { EnvBool, EnvInt, EnvOptional } from '../config/env.decorators';
import { isRedisUrl, Satisfies } from '../config/validators';

/** The variables are described in .env.example. */
@ConfigSection('rateLimit')
export class RateLimitConfig {
  @EnvBool()
  RATE_LIMIT_ENABLED = true;

  @EnvInt(100, 86_400_000)
  RATE_LIMIT_TTL_MS = 60_000;

  @EnvInt(1, 1_000_000)
  RATE_LIMIT_LIMIT = 600;

  @EnvInt(1, 1_000_000)
  RATE_LIMIT_REFUSED_LIMIT = 100;

  @EnvOptional(Satisfies(isRedisUrl, 'must be a redis:// or rediss:// URL with a host'))
  RATE_LIMIT_REDIS_URL?: string;

  @EnvInt(1, 10_000)
  RATE_LIMIT_REDIS_TIMEOUT_MS = 50;
}
