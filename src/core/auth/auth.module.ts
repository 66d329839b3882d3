import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
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
export class AuthModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(SessionStore) private readonly sessions: SessionStore | null) {}

  /** After the HTTP server stopped taking requests (the lifecycle's order), like the main pool. */
  async onApplicationShutdown(): Promise<void> {
    await this.sessions?.close();
  }
}
