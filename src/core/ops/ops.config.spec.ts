import { loadAppConfig } from '../../app.module';
import { ConfigValidationError } from '../config/config';
import { DatabaseConfig } from '../database/database.config';
import { HttpConfig } from '../http/http.config';
import { OpsConfig } from './ops.config';

const base = {
  DATABASE_URL: 'postgres://u:p@db.example:5432/tasks',
  AUTH_JWT_SECRET: 'operations-spec-secret-0123456789abcdef',
};
const ops = (raw: Record<string, string> = {}) => loadAppConfig({ ...base, ...raw }).get(OpsConfig);

describe('operations variables', () => {
  it('defaults: drain 5 s in production, 0 elsewhere; timeout 20 s; no metrics port; no startup migrations', () => {
    expect(ops().drainDelayMs).toBe(0);
    expect(ops({ NODE_ENV: 'production' }).drainDelayMs).toBe(5000);
    expect(ops({ NODE_ENV: 'test' }).drainDelayMs).toBe(0);
    expect(ops().SHUTDOWN_TIMEOUT_MS).toBe(20_000);
    expect(ops().METRICS_PORT).toBeUndefined();
    expect(loadAppConfig(base).get(DatabaseConfig).MIGRATIONS_RUN_ON_STARTUP).toBe(false);
  });

  it('serves /metrics off the API port in production by default, on it elsewhere', () => {
    expect(ops().metricsPort).toBeUndefined();
    expect(ops({ NODE_ENV: 'test' }).metricsPort).toBeUndefined();
    expect(ops({ NODE_ENV: 'production' }).metricsPort).toBe(9464);
    expect(ops({ NODE_ENV: 'production', METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    expect(ops({ METRICS_PORT: '0' }).metricsPort).toBe(0);
    // The opt-in to the public port: name it.
    expect(
      ops({ NODE_ENV: 'production', PORT: '8080', METRICS_PORT: '8080' }).metricsPort,
    ).toBeUndefined();
    expect(ops({ HOST: '127.0.0.1' }).metricsHost).toBe('127.0.0.1');
  });

  it('connections: capped at 4096, idle keep-alive 72 s, both settable', () => {
    const http = (raw: Record<string, string> = {}) =>
      loadAppConfig({ ...base, ...raw }).get(HttpConfig);
    expect([http().HTTP_MAX_CONNECTIONS, http().HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([
      4096, 72_000,
    ]);
    const set = http({ HTTP_MAX_CONNECTIONS: '0', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000' });
    expect([set.HTTP_MAX_CONNECTIONS, set.HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([0, 5000]);
    expect(() => http({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '10' })).toThrow(
      /HTTP_KEEP_ALIVE_TIMEOUT_MS is invalid/,
    );
  });

  it('moves the health details only to a metrics port of its own', () => {
    expect(ops().HEALTH_DETAILS_ON_METRICS_PORT).toBe(false);
    const moved = { HEALTH_DETAILS_ON_METRICS_PORT: 'true' };
    expect(ops({ ...moved, METRICS_PORT: '9464' }).HEALTH_DETAILS_ON_METRICS_PORT).toBe(true);
    expect(() => ops(moved)).toThrow(/HEALTH_DETAILS_ON_METRICS_PORT needs a metrics port/);
  });

  it('reads set values, a blank optional value meaning unset', () => {
    const set = ops({
      NODE_ENV: 'production',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '3000',
      METRICS_PORT: '9464',
    });
    expect([set.drainDelayMs, set.SHUTDOWN_TIMEOUT_MS, set.METRICS_PORT]).toEqual([0, 3000, 9464]);
    expect(ops({ METRICS_PORT: ' ' }).METRICS_PORT).toBeUndefined();
    const db = loadAppConfig({ ...base, MIGRATIONS_RUN_ON_STARTUP: 'true' }).get(DatabaseConfig);
    expect(db.MIGRATIONS_RUN_ON_STARTUP).toBe(true);
  });

  it('refuses malformed values, naming each variable', () => {
    try {
      ops({
        SHUTDOWN_DRAIN_DELAY_MS: '-1',
        SHUTDOWN_TIMEOUT_MS: 'soon',
        METRICS_PORT: '70000',
        MIGRATIONS_RUN_ON_STARTUP: 'maybe',
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const problems = (error as ConfigValidationError).problems.map((p) => p.split(' ')[0]);
      expect(problems.sort()).toEqual([
        'METRICS_PORT',
        'MIGRATIONS_RUN_ON_STARTUP',
        'SHUTDOWN_DRAIN_DELAY_MS',
        'SHUTDOWN_TIMEOUT_MS',
      ]);
    }
  });
});
