import { Module } from '@nestjs/common';
import { Environment } from '../config/environment';
import { Authenticator } from './authentication';
import { TokenVerifier, verifierConfigFrom } from './token-verifier';

/**
 * Bearer-token authentication for every /api route: the token verifier and the Fastify hook
 * that uses it (`installAuthentication`, called by the app factory), which runs before any
 * guard, so the rate limiter can count per user.
 */
@Module({
  providers: [
    {
      provide: TokenVerifier,
      inject: [Environment],
      useFactory: (env: Environment) => new TokenVerifier(verifierConfigFrom(env)),
    },
    Authenticator,
  ],
  exports: [TokenVerifier, Authenticator],
})
export class AuthModule {}
