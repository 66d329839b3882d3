import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { isPublicRoute } from '../auth/public.decorator';
import { RateLimitConfig } from './rate-limit.config';
import { addressKey } from '../http/client-address';
import { BoundedWindowCounter } from './bounded-window-counter';
import { RateLimitedError } from './rate-limited.error';

/**
 * Addresses counted at once. An entry is about 100 bytes, so the counter holds ~1 MB at most;
 * far more than the addresses that get refused within one window in normal operation.
 */
export const REFUSED_ADDRESSES_MAX = 10_000;

/**
 * Refused requests (401 and 403) count toward a limit per client address, so a flood of bad or
 * foreign tokens is cut off with 429 like any other flood: 10,000 spellings of one token to
 * another user's path were 10,000 × 403 and no 429 (issue 12, finding 4), as the per-user limiter
 * (a guard) runs only after authentication has admitted the request.
 *
 * onResponse counts each 401/403 under `request.ip` (Fastify's, which honours TRUSTED_PROXIES),
 * IPv6 by /64; onRequest, before authentication, refuses an address that reached
 * RATE_LIMIT_REFUSED_LIMIT within the RATE_LIMIT_TTL_MS window, until the window ends. Routes
 * that need no token (health, metrics, docs) are never refused.
 */
@Injectable()
export class RefusedRequestLimitHook {
  readonly counter: BoundedWindowCounter;

  constructor(env: RateLimitConfig) {
    this.counter = new BoundedWindowCounter(
      env.RATE_LIMIT_TTL_MS,
      env.RATE_LIMIT_REFUSED_LIMIT,
      REFUSED_ADDRESSES_MAX,
    );
  }

  readonly onRequest = (
    request: FastifyRequest,
    _reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    if (isPublicRoute(request.routeOptions.config)) return done();
    const retryAfterS = this.counter.retryAfterS(addressKey(request.ip));
    if (retryAfterS > 0) return done(new RateLimitedError(retryAfterS));
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
