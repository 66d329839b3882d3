import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { configProvider } from '../config/config';
import { AuthConfig } from './auth.config';
import { AuthenticationHook } from './authentication.hook';
import { SessionStore, sessionStoreConfigFrom } from './session-store';
import { TokenVerifier, verifierConfigFrom } from './token-verifier';

/**
 * Bearer-token authentication of every route not marked `@Public()`: the token verifier and the
 * Fastify hook that uses it (placed by src/http/pipeline.ts), which runs before any guard, so
 * the rate limiter can count per user. With AUTH_SESSIONS_ENABLED, Better Auth's session store
 * too, whose pool closes with the app.
 */
@Module({
  providers: [
    configProvider(AuthConfig),
    {
      provide: SessionStore,
      inject: [AuthConfig],
      useFactory: (env: AuthConfig) =>
        env.AUTH_SESSIONS_ENABLED ? new SessionStore(sessionStoreConfigFrom(env)) : null,
    },
    {
      provide: TokenVerifier,
      inject: [AuthConfig, SessionStore],
      useFactory: (env: AuthConfig, sessions: SessionStore | null) =>
        new TokenVerifier(verifierConfigFrom(env), sessions ?? undefined),
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
