import { AppModule, loadAppConfig } from './app.module';

describe('AppModule.forRoot', () => {
  it('leaves out the rate limiter entirely when it is off, so it costs nothing', () => {
    const config = loadAppConfig({
      DATABASE_URL: 'postgres://app@127.0.0.1/tasks',
      AUTH_JWT_SECRET: 'a-secret-for-this-unit-test-0000000000',
      RATE_LIMIT_ENABLED: 'false',
    });
    const rateLimit = AppModule.forRoot(config).imports?.find(
      (m) => (m as { module?: { name: string } }).module?.name === 'RateLimitModule',
    ) as { imports?: unknown[]; providers?: unknown[] };
    expect(rateLimit.imports).toBeUndefined();
    expect(rateLimit.providers).toHaveLength(1);
  });
});
