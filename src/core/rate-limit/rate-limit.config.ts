import { ConfigSection } from '../config/config';
import { EnvBool, EnvInt } from '../config/env.decorators';

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

  /** Refused requests (401, 403) per client address per window; then 429 until it ends. */
  @EnvInt(1, 1_000_000)
  RATE_LIMIT_REFUSED_LIMIT = 100;
}
