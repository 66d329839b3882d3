import { AppModule } from './app.module';

describe('AppModule.forRoot', () => {
  it('validates process.env when given no environment, and leaves out the limiter when it is off', () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      AUTH_JWT_SECRET: 'a-secret-for-this-unit-test-0000000000',
      RATE_LIMIT_ENABLED: 'false',
    });
    try {
      // RATE_LIMIT_ENABLED=false came from process.env: no limiter module is configured.
      const module = AppModule.forRoot();
      const rateLimit = module.imports?.find(
        (m) => (m as { module?: { name: string } }).module?.name === 'RateLimitModule',
      ) as { imports?: unknown[]; providers?: unknown[] };
      expect(rateLimit.imports).toBeUndefined();
      expect(rateLimit.providers).toBeUndefined();
    } finally {
      for (const key of ['DATABASE_URL', 'AUTH_JWT_SECRET', 'RATE_LIMIT_ENABLED']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
