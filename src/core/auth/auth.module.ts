import { Module } from '@nestjs/common';
import { configProvider } from '../config/config';
import { AuthConfig } from './auth.config';
import { AuthenticationHook } from './authentication.hook';
import { SessionStore } from './session-store';
import { TokenVerifier } from './token-verifier';

/** Bearer tokens on every route not `@Public()`; core/http/pipeline.ts places the hook. */
@Module({
  providers: [
    configProvider(AuthConfig),
    {
      provide: SessionStore,
      inject: [AuthConfig],
      useFactory: (config: AuthConfig) =>
        config.AUTH_SESSIONS_ENABLED ? new SessionStore(config) : null,
    },
    TokenVerifier,
    AuthenticationHook,
  ],
  exports: [TokenVerifier, AuthenticationHook],
})
export class AuthModule {}
