import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { RateLimitedError } from './rate-limited.error';

/**
 * The throttler, counting per authenticated user (the authentication hook runs first and sets
 * `request.user`) or per client address when there is none. One budget per user across all
 * routes, not one per route. A controller that must never be limited (health) says
 * `@SkipThrottle()`; raw Fastify routes (/metrics, /docs) never reach a guard.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { user, ip } = request as unknown as FastifyRequest;
    return Promise.resolve(user ? `user:${user.id}` : `ip:${ip}`);
  }

  /** The tracker is the key: no per-route budget, and no hash to compute on every request. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(Math.max(1, detail.timeToBlockExpire));
  }
}
