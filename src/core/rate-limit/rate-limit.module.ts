import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { VerificationBudget } from '../auth/authentication.hook';
import { configProvider } from '../config/config';
import { RateLimitConfig } from './rate-limit.config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimits, VerificationLimit } from './rate-limits';

/**
 * RATE_LIMIT_LIMIT requests per window per user (a guard: authentication has run), and
 * RATE_LIMIT_REFUSED_LIMIT expensive verifications per client address (the authentication hook
 * spends them). Global, so the hook finds its budget. Disabled, nothing is registered.
 */
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
        RateLimits,
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: VerificationBudget, useClass: VerificationLimit },
      ],
      exports: [RateLimitConfig, RateLimits, VerificationBudget],
    };
  }
}
