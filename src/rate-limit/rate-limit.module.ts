import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Environment } from '../config/environment';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';
import { RefusedRequestLimitHook } from './refused-request-limit.hook';
import { UserThrottlerGuard } from './user-throttler.guard';

/**
 * RATE_LIMIT_LIMIT requests per RATE_LIMIT_TTL_MS per user, and RATE_LIMIT_REFUSED_LIMIT refused
 * ones per client address (RefusedRequestLimitHook, whose hooks src/http/pipeline.ts installs). With RATE_LIMIT_ENABLED=false the
 * guard is not registered at all, so it costs nothing. It counts per user because authentication
 * (a Fastify hook) has run before any guard.
 */
@Module({})
export class RateLimitModule {
  static forRoot(env: Environment): DynamicModule {
    if (!env.RATE_LIMIT_ENABLED) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: env.RATE_LIMIT_TTL_MS, limit: env.RATE_LIMIT_LIMIT }],
          storage: new FixedWindowThrottlerStorage(),
          // Only Retry-After on a 429 (set by the guard); no X-RateLimit-* on every response.
          setHeaders: false,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: UserThrottlerGuard }, RefusedRequestLimitHook],
      exports: [RefusedRequestLimitHook],
    };
  }
}
