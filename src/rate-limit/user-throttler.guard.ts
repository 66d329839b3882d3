import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOperationalRoute } from '../auth/protected-routes';
import { RateLimitedError } from './rate-limited.error';

/**
 * The throttler, counting per authenticated user (the authentication hook runs first and sets
 * `request.user`) or per client address when there is none. One budget per user across all
 * routes, not one per route. Health and metrics are never limited.
 */
@Injectable()
export class UserThrottlerGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return Promise.resolve(isOperationalRoute(request.routeOptions.url));
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { user, ip } = request as unknown as FastifyRequest;
    return Promise.resolve(user ? `user:${user.id}` : `ip:${ip}`);
  }

  /** The tracker is the key: no per-route budget, and no hash to compute on every request. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterS = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfterS));
    throw new RateLimitedError(retryAfterS);
  }
}
