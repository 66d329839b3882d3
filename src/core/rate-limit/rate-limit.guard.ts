import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addressKey } from '../http/client-address';
import { RateLimits } from './rate-limits';
import { rateLimited } from './window-limit';

const SKIP_RATE_LIMIT = 'skipRateLimit';

/** A controller never limited (health probes). */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/** RATE_LIMIT_LIMIT requests per window per user, or per address without one; RateLimit headers. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limits: RateLimits,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.get<boolean>(SKIP_RATE_LIMIT, context.getClass())) return true;
    const { user, ip } = context.getArgByIndex<FastifyRequest>(0);
    const state = await this.limits.user.take(user ? `user:${user.id}` : `ip:${addressKey(ip)}`);
    if (!state.allowed) throw rateLimited(state);
    context.getArgByIndex<FastifyReply>(1).headers(state.headers);
    return true;
  }
}
