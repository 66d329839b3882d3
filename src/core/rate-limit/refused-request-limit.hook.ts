import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { isPublicRoute } from '../auth/decorators';
import { addressKey } from '../http/client-address';
import { RateLimitConfig } from './rate-limit.config';
import { rateLimited } from './user-throttler.guard';
import { WindowCounter } from './window-counter';

/**
 * Refused requests (401, 403) per client address: the per-user limit (a guard) runs only once
 * authentication has admitted a request, so without this a flood of bad or foreign tokens is
 * never limited. onResponse counts each refusal under `request.ip` (TRUSTED_PROXIES honoured),
 * IPv6 by /64; onRequest, before authentication, answers 429 to an address that reached
 * RATE_LIMIT_REFUSED_LIMIT until its window ends. Routes that need no token are never refused.
 */
@Injectable()
export class RefusedRequestLimitHook {
  private readonly counter: WindowCounter;
  private readonly limit: number;

  constructor(config: RateLimitConfig) {
    this.counter = new WindowCounter(config.RATE_LIMIT_TTL_MS);
    this.limit = config.RATE_LIMIT_REFUSED_LIMIT;
  }

  readonly onRequest = (
    request: FastifyRequest,
    _reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    if (isPublicRoute(request.routeOptions.config)) return done();
    const count = this.counter.current(addressKey(request.ip));
    if (count !== undefined && count.hits >= this.limit) return done(rateLimited(count.resetInS));
    done();
  };

  readonly onResponse = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    if (reply.statusCode === 401 || reply.statusCode === 403) {
      this.counter.hit(addressKey(request.ip));
    }
    done();
  };
}
