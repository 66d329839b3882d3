import { Module } from '@nestjs/common';
import { Environment } from '../config/environment';
import { AuthenticationHook } from './authentication.hook';
import { TokenVerifier, verifierConfigFrom } from './token-verifier';

/**
 * Bearer-token authentication of every route not marked `@Public()`: the token verifier and the
 * Fastify hook that uses it (placed by src/http/pipeline.ts), which runs before any guard, so
 * the rate limiter can count per user.
 */
@Module({
  providers: [
    {
      provide: TokenVerifier,
      inject: [Environment],
      useFactory: (env: Environment) => new TokenVerifier(verifierConfigFrom(env)),
    },
    AuthenticationHook,
  ],
  exports: [TokenVerifier, AuthenticationHook],
})
export class AuthModule {}
