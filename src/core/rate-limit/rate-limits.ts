import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Counter } from 'prom-client';
import { VerificationBudget } from '../auth/authentication.hook';
import { addressKey } from '../http/client-address';
import type { LifecycleState } from '../ops/lifecycle';
import type { MetricsService } from '../ops/metrics.service';
import { RateLimitConfig } from './rate-limit.config';
import { RedisCounters } from './redis-store';
import { processStore, rateLimited, WindowLimit } from './window-limit';

const REDIS_LOG_INTERVAL_MS = 10_000;

/** RATE_LIMIT_REDIS_URL's counters, reported in the log, the metrics and readiness; else null. */
export function sharedCounters(
  config: RateLimitConfig,
  metrics: MetricsService,
  lifecycle: LifecycleState,
  logger: PinoLogger,
): RedisCounters | null {
  if (config.RATE_LIMIT_REDIS_URL === undefined) return null;
  let lastLog = -Infinity;
  const redis = new RedisCounters(config.RATE_LIMIT_REDIS_URL, config.RATE_LIMIT_REDIS_TIMEOUT_MS, {
    failed(error) {
      if (Date.now() - lastLog < REDIS_LOG_INTERVAL_MS) return;
      lastLog = Date.now();
      logger.warn(`rate limits: Redis unavailable (${error.message}), counting in this process`);
    },
    recovered() {
      lastLog = -Infinity;
      logger.info('rate limits: Redis is back, counting there again');
    },
  });
  const registers = [metrics.registry];
  new Counter({
    name: 'rate_limit_store_fallback_total',
    help: 'Rate-limit hits counted in the process because Redis could not be used',
    registers,
    collect() {
      this.reset();
      this.inc(redis.fallbacks);
    },
  });
  lifecycle.reports.set('rate_limit_store', () => ({ redis: redis.usable ? 'up' : 'fallback' }));
  return redis;
}

/**
 * The service's limits, counted in Redis when configured, else in the process. Also the budget of
 * costly verifications: RATE_LIMIT_REFUSED_LIMIT per client address per window, counted before
 * each starts (so pipelined requests cannot overshoot) and given back when the token proved valid,
 * so only refused ones stay counted; cheap refusals and valid tokens never meet it.
 */
@Injectable()
export class RateLimits extends VerificationBudget implements OnApplicationShutdown {
  /** Requests per user (or per address without a user). */
  readonly user: WindowLimit;
  readonly verification: WindowLimit;
  private warned = false;

  constructor(
    config: RateLimitConfig,
    @InjectPinoLogger('RateLimit') private readonly logger: PinoLogger,
    @Optional() @Inject(RedisCounters) private readonly redis?: RedisCounters | null,
  ) {
    super();
    const ttl = config.RATE_LIMIT_TTL_MS;
    const limit = (name: string, quota: number, store: string) =>
      new WindowLimit(name, quota, ttl, redis?.store(store, ttl) ?? processStore(ttl));
    this.user = limit('default', config.RATE_LIMIT_LIMIT, 'user');
    this.verification = limit('verification', config.RATE_LIMIT_REFUSED_LIMIT, 'verification');
  }

  async spend(request: FastifyRequest): Promise<() => void> {
    this.warnIfForwardedIgnored(request);
    const key = addressKey(request.ip);
    const state = await this.verification.take(key);
    if (!state.allowed) throw rateLimited(state);
    return () => this.verification.store.undo(key);
  }

  /** Behind a proxy not in TRUSTED_PROXIES, every client shares the proxy's budget. */
  private warnIfForwardedIgnored(request: FastifyRequest): void {
    if (this.warned || request.headers['x-forwarded-for'] === undefined) return;
    if (request.ip !== request.socket.remoteAddress) return;
    this.warned = true;
    this.logger.warn(
      `X-Forwarded-For from ${request.ip}, which TRUSTED_PROXIES does not list: clients behind it share its address in the limits`,
    );
  }

  onApplicationShutdown(): void {
    this.redis?.close();
  }
}
