import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { configProvider } from '../config/config';
import { AuthConfig } from './auth.config';
import { AuthenticationHook } from './authentication.hook';
import { SessionStore } from './session-store';
import { TokenVerifier } from './token-verifier';

/**
 * Bearer-token authentication of every route not marked `@Public()`: the token verifier and the
 * Fastify hook that uses it (placed by core/http/pipeline.ts). With AUTH_SESSIONS_ENABLED, Better
 * Auth's session store too, whose pool closes with the app.
 */
@Module({
  providers: [
    configProvider(AuthConfig),
    {
      provide: SessionStore,
      inject: [AuthConfig],
      useFactory: (config: AuthConfig) =>
        config.AUTH_SESSIONS_ENABLED ? new SessionStore(config) : null,
    },
    {
      provide: TokenVerifier,
      inject: [AuthConfig, SessionStore],
      useFactory: (config: AuthConfig, sessions: SessionStore | null) =>
        new TokenVerifier(config, sessions ?? undefined),
    },
    AuthenticationHook,
  ],
  exports: [TokenVerifier, AuthenticationHook],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(SessionStore) private readonly sessions: SessionStore | null) {}

  /** After the HTTP server stopped taking requests (the lifecycle's order), like the main pool. */
  async onApplicationShutdown(): Promise<void> {
    await this.sessions?.close();
  }
}
