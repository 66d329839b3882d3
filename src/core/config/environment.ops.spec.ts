import {
  ConfigValidationError,
  drainDelayMs,
  metricsPort,
  validateEnvironment,
} from './environment';

const base = {
  DATABASE_URL: 'postgres://u:p@db.example:5432/tasks',
  AUTH_JWT_SECRET: 'operations-spec-secret-0123456789abcdef',
};

describe('operations variables', () => {
  it('defaults: drain 5 s in production, 0 elsewhere; timeout 20 s; no metrics port; no startup migrations', () => {
    const dev = validateEnvironment(base);
    expect(drainDelayMs(dev)).toBe(0);
    expect(drainDelayMs(validateEnvironment({ ...base, NODE_ENV: 'production' }))).toBe(5000);
    expect(drainDelayMs(validateEnvironment({ ...base, NODE_ENV: 'test' }))).toBe(0);
    expect(dev.SHUTDOWN_TIMEOUT_MS).toBe(20_000);
    expect(dev.METRICS_PORT).toBeUndefined();
    expect(dev.MIGRATIONS_RUN_ON_STARTUP).toBe(false);
  });

  it('serves /metrics off the API port in production by default, on it elsewhere', () => {
    expect(metricsPort(validateEnvironment(base))).toBeUndefined();
    expect(metricsPort(validateEnvironment({ ...base, NODE_ENV: 'test' }))).toBeUndefined();
    const production = { ...base, NODE_ENV: 'production' };
    expect(metricsPort(validateEnvironment(production))).toBe(9464);
    expect(metricsPort(validateEnvironment({ ...production, METRICS_PORT: '9100' }))).toBe(9100);
    expect(metricsPort(validateEnvironment({ ...base, METRICS_PORT: '0' }))).toBe(0);
    // The opt-in to the public port: name it.
    const onPort = { ...production, PORT: '8080', METRICS_PORT: '8080' };
    expect(metricsPort(validateEnvironment(onPort))).toBeUndefined();
  });

  it('connections: capped at 4096, idle keep-alive 72 s, both settable', () => {
    const dev = validateEnvironment(base);
    expect([dev.HTTP_MAX_CONNECTIONS, dev.HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([4096, 72_000]);
    const set = validateEnvironment({
      ...base,
      HTTP_MAX_CONNECTIONS: '0',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000',
    });
    expect([set.HTTP_MAX_CONNECTIONS, set.HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([0, 5000]);
    expect(() => validateEnvironment({ ...base, HTTP_KEEP_ALIVE_TIMEOUT_MS: '10' })).toThrow(
      /HTTP_KEEP_ALIVE_TIMEOUT_MS is invalid/,
    );
  });

  it('reads set values, a blank optional value meaning unset', () => {
    const env = validateEnvironment({
      ...base,
      NODE_ENV: 'production',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '3000',
      METRICS_PORT: '9464',
      MIGRATIONS_RUN_ON_STARTUP: 'true',
    });
    expect(drainDelayMs(env)).toBe(0);
    expect(env.SHUTDOWN_TIMEOUT_MS).toBe(3000);
    expect(env.METRICS_PORT).toBe(9464);
    expect(env.MIGRATIONS_RUN_ON_STARTUP).toBe(true);
    expect(validateEnvironment({ ...base, METRICS_PORT: ' ' }).METRICS_PORT).toBeUndefined();
  });

  it('refuses malformed values, naming each variable', () => {
    expect(() =>
      validateEnvironment({
        ...base,
        SHUTDOWN_DRAIN_DELAY_MS: '-1',
        SHUTDOWN_TIMEOUT_MS: 'soon',
        METRICS_PORT: '70000',
        MIGRATIONS_RUN_ON_STARTUP: 'maybe',
      }),
    ).toThrow(ConfigValidationError);
    try {
      validateEnvironment({ ...base, SHUTDOWN_DRAIN_DELAY_MS: '-1', METRICS_PORT: '70000' });
    } catch (error) {
      const problems = (error as ConfigValidationError).problems.join('\n');
      expect(problems).toMatch(/SHUTDOWN_DRAIN_DELAY_MS is invalid/);
      expect(problems).toMatch(/METRICS_PORT is invalid/);
    }
  });
});
