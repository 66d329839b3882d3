import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getLoggerToken } from 'nestjs-pino';
import { VerificationBudget } from '../auth/authentication.hook';
import { configProvider } from '../config/config';
import { LifecycleState } from '../ops/lifecycle';
import { MetricsService } from '../ops/metrics.service';
import { RateLimitConfig } from './rate-limit.config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimits } from './rate-limits';
import { RedisCounters } from './redis-store';

/** Global, so the authentication hook finds its budget; disabled, nothing is registered. */
@Module({})
export class RateLimitModule {
  static forRoot(config: RateLimitConfig): DynamicModule {
    const providers = [configProvider(RateLimitConfig)];
    if (!config.RATE_LIMIT_ENABLED)
      return { module: RateLimitModule, providers, exports: providers };
    return {
      global: true,
      module: RateLimitModule,
      providers: [
        ...providers,
        {
          provide: RedisCounters,
          inject: [RateLimitConfig, MetricsService, LifecycleState, getLoggerToken('RateLimit')],
          useFactory: (...args: ConstructorParameters<typeof RedisCounters>) =>
            args[0].RATE_LIMIT_REDIS_URL === undefined ? null : new RedisCounters(...args),
        },
        RateLimits,
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: VerificationBudget, useExisting: RateLimits },
      ],
      exports: [RateLimitConfig, RateLimits, VerificationBudget],
    };
  }
}
