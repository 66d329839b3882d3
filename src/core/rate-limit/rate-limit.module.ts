import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { configProvider } from '../config/config';
import { RateLimitConfig } from './rate-limit.config';
import { RefusedRequestLimitHook } from './refused-request-limit.hook';
import { UserThrottlerGuard } from './user-throttler.guard';
import { WindowCounter, WindowCounterStorage } from './window-counter';

/**
 * RATE_LIMIT_LIMIT requests per window per user (a guard: authentication has run), and
 * RATE_LIMIT_REFUSED_LIMIT refused ones per client address (hooks placed by pipeline.ts).
 * Disabled, nothing is registered, so it costs nothing.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: RateLimitConfig): DynamicModule {
    const providers = [configProvider(RateLimitConfig)];
    if (!config.RATE_LIMIT_ENABLED)
      return { module: RateLimitModule, providers, exports: providers };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: config.RATE_LIMIT_TTL_MS, limit: config.RATE_LIMIT_LIMIT }],
          storage: new WindowCounterStorage(new WindowCounter(config.RATE_LIMIT_TTL_MS)),
          // Only Retry-After on a 429 (set by the guard).
          setHeaders: false,
        }),
      ],
      providers: [
        ...providers,
        { provide: APP_GUARD, useClass: UserThrottlerGuard },
        RefusedRequestLimitHook,
      ],
      exports: [RefusedRequestLimitHook, RateLimitConfig],
    };
  }
}
