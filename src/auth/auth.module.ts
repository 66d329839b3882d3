import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Environment } from '../config/environment';
import { AuthGuard } from './auth.guard';
import { TokenVerifier, verifierConfigFrom } from './token-verifier';

/**
 * Bearer-token authentication for every /api route (AuthGuard, global). Import it before
 * RateLimitModule: global guards run in registration order, and the limiter counts per user.
 */
@Module({
  providers: [
    {
      provide: TokenVerifier,
      inject: [Environment],
      useFactory: (env: Environment) => new TokenVerifier(verifierConfigFrom(env)),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {}
