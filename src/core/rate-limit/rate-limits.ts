import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { VerificationBudget } from '../auth/authentication.hook';
import { addressKey } from '../http/client-address';
import { RateLimitConfig } from './rate-limit.config';
import { processStore, rateLimited, WindowLimit } from './window-limit';

/** The service's limits, each counted in its own store. */
@Injectable()
export class RateLimits {
  /** Requests per user (or per address without a user). */
  readonly user: WindowLimit;
  /** Expensive token verifications per client address. */
  readonly verification: WindowLimit;

  constructor(config: RateLimitConfig) {
    const ttl = config.RATE_LIMIT_TTL_MS;
    this.user = new WindowLimit('default', config.RATE_LIMIT_LIMIT, ttl, processStore(ttl));
    this.verification = new WindowLimit(
      'verification',
      config.RATE_LIMIT_REFUSED_LIMIT,
      ttl,
      processStore(ttl),
    );
  }
}

/**
 * RATE_LIMIT_REFUSED_LIMIT expensive verifications per client address per window, counted before
 * each starts (so pipelined requests cannot overshoot) and given back when the token proved valid:
 * only refused ones stay counted. Cheap refusals and valid tokens never meet it.
 */
@Injectable()
export class VerificationLimit extends VerificationBudget {
  private warned = false;

  constructor(
    private readonly limits: RateLimits,
    @InjectPinoLogger('RateLimit') private readonly logger: PinoLogger,
  ) {
    super();
  }

  async spend(request: FastifyRequest): Promise<() => void> {
    this.warnIfForwardedIgnored(request);
    const key = addressKey(request.ip);
    const state = await this.limits.verification.take(key);
    if (!state.allowed) throw rateLimited(state);
    return () => this.limits.verification.store.undo(key);
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
}
