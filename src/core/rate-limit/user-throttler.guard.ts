import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiError, ERRORS } from '../errors/api-error';

/** 429 RATE_LIMITED, with `Retry-After`: when the client's window ends. */
export function rateLimited(retryAfterS: number): ApiError {
  return ERRORS.rateLimited.error(
    'Too many requests, retry later',
    { retry_after_s: retryAfterS },
    { 'Retry-After': String(retryAfterS) },
  );
}

/**
 * The throttler, counting per authenticated user (the authentication hook has set
 * `request.user`) or per client address when there is none: one budget across all routes. A
 * controller that must never be limited (health) says `@SkipThrottle()`; raw Fastify routes
 * (/metrics, /docs) never reach a guard.
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
    throw rateLimited(detail.timeToBlockExpire);
  }
}
