import { Inject, Injectable, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { VerificationBudget } from '../auth/authentication.hook';
import { addressKey } from '../http/client-address';
import { RateLimitConfig } from './rate-limit.config';
import { RedisCounters } from './redis-store';
import { WindowCounter } from './window-counter';
import { rateLimited, WindowLimit } from './window-limit';

/**
 * The service's limits, in Redis when configured. Also the per-address budget of costly
 * verifications: taken before each starts (pipelining cannot overshoot), refunded by a valid token.
 */
@Injectable()
export class RateLimits extends VerificationBudget {
  /** Requests per user (or per address without a user). */
  readonly user: WindowLimit;
  readonly verification: WindowLimit;
  private warned = false;

  constructor(
    config: RateLimitConfig,
    @InjectPinoLogger('RateLimit') private readonly logger: PinoLogger,
    @Optional() @Inject(RedisCounters) redis?: RedisCounters | null,
  ) {
    super();
    const ttl = config.RATE_LIMIT_TTL_MS;
    const limit = (name: string, quota: number, store: string) =>
      new WindowLimit(name, quota, ttl, redis?.store(store, ttl) ?? new WindowCounter(ttl));
    this.user = limit('default', config.RATE_LIMIT_LIMIT, 'user');
    this.verification = limit('verification', config.RATE_LIMIT_REFUSED_LIMIT, 'verification');
  }

  async spend(request: FastifyRequest): Promise<() => void> {
    // Behind a proxy not in TRUSTED_PROXIES, every client shares the proxy's budget: said once.
    const forwarded = request.headers['x-forwarded-for'] !== undefined;
    if (!this.warned && forwarded && request.ip === request.socket.remoteAddress) {
      this.warned = true;
      this.logger.warn(
        `X-Forwarded-For from ${request.ip}, which TRUSTED_PROXIES does not list: clients behind it share its address in the limits`,
      );
    }
    const key = addressKey(request.ip);
    const state = await this.verification.take(key);
    if (!state.allowed) throw rateLimited(state);
    return () => this.verification.store.undo(key);
  }
}
