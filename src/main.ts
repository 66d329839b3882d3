import './tracing';
import 'reflect-metadata';
import { createApp } from './app.factory';
import { AppConfig } from './core/config/app.config';
import { Config, loadConfigOrExit } from './core/config/config';
import { loadAppConfig } from './app.module';
import { AuthConfig } from './core/auth/auth.config';
import { explainDatabaseStartupError, redactUrl } from './core/database/connection-url';
import { DatabaseConfig } from './core/database/database.config';
import { DatabaseStartupError } from './core/database/database-verifier';
import { runMigrationsLocked } from './core/database/migration-runner';
import { HttpConfig } from './core/http/http.config';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from './core/ops/logging.module';
import { stopTracing } from './core/ops/tracing';
import { GracefulShutdown, LifecycleState } from './core/ops/lifecycle';
import { OpsConfig } from './core/ops/ops.config';
import { RateLimitConfig } from './core/rate-limit/rate-limit.config';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit(loadAppConfig);
  const http = config.get(HttpConfig);
  try {
    // Built, not started: nothing touches the database until listen() initialises the app.
    const app = await createApp(config);
    const root = app.get<Logger>(ROOT_LOGGER);
    const logger = root.child({ context: 'Bootstrap' });
    logger.info(`configuration loaded (${describe(config)})`);
    if (config.get(DatabaseConfig).MIGRATIONS_RUN_ON_STARTUP) {
      // Same lock as the migration Job: replicas starting together apply each migration once.
      await runMigrationsLocked(config.get(DatabaseConfig), root.child({ context: 'Migrations' }));
    }
    // Our own signal handling: readiness must flip and the drain delay pass before anything closes.
    const ops = config.get(OpsConfig);
    new GracefulShutdown(
      {
        closeListener: () => app.getHttpAdapter().close() as Promise<void>,
        close: () => app.close().then(stopTracing),
      },
      app.get(LifecycleState),
      root.child({ context: 'Shutdown' }),
      { drainDelayMs: ops.drainDelayMs, timeoutMs: ops.SHUTDOWN_TIMEOUT_MS },
      (code) => process.exit(code),
    ).install();
    await app.listen({ port: http.PORT, host: http.HOST });
    logger.info(`listening on port ${http.PORT}`);
  } catch (error) {
    // A startup failure is one clear line on stderr and exit code 1: no stack, no secret.
    process.stderr.write(`Startup failed: ${describeStartupError(error, config)}\n`);
    process.exit(1);
  }
}

/** Where the app connects (no password), how tokens are checked (the secret never), the limits. */
function describe(config: Config): string {
  const db = config.get(DatabaseConfig);
  const auth = config.get(AuthConfig);
  const limit = config.get(RateLimitConfig);
  const migrations = db.DATABASE_MIGRATIONS_URL
    ? `, migrations ${redactUrl(db.DATABASE_MIGRATIONS_URL)}`
    : '';
  const tokens = [
    ...(auth.AUTH_JWT_SECRET !== undefined ? ['HS* secret'] : []),
    ...(auth.AUTH_JWKS_URL !== undefined ? [`JWKS at ${new URL(auth.AUTH_JWKS_URL).host}`] : []),
  ].join(' + ');
  const rate = limit.RATE_LIMIT_ENABLED
    ? `${limit.RATE_LIMIT_LIMIT}/${limit.RATE_LIMIT_TTL_MS}ms per user`
    : 'off';
  return `NODE_ENV=${config.get(AppConfig).NODE_ENV}, database ${redactUrl(db.DATABASE_URL)}${migrations}, pool ${db.DATABASE_POOL_SIZE}, prepared statements ${db.DATABASE_PREPARED_STATEMENTS}, tokens ${tokens}, rate limit ${rate}`;
}

/** Database failures get their own sentence; a port that cannot be bound names it and its setting. */
function describeStartupError(error: unknown, config: Config): string {
  if (error instanceof DatabaseStartupError) return error.message;
  const { code, syscall, port } = (error ?? {}) as Record<string, unknown>;
  if (syscall === 'listen' && typeof code === 'string') {
    const reason = code === 'EADDRINUSE' ? 'address already in use' : code;
    const ops = config.get(OpsConfig);
    if (ops.metricsPort !== undefined && port === ops.metricsPort) {
      const byDefault = ops.METRICS_PORT === undefined ? ' (9464 by default in production)' : '';
      return `cannot listen on ${ops.metricsHost}:${ops.metricsPort}, the metrics port, METRICS_PORT${byDefault} (${reason})`;
    }
    const http = config.get(HttpConfig);
    return `cannot listen on ${http.HOST}:${http.PORT}, the API port, PORT (${reason})`;
  }
  if (typeof code === 'string' && code !== '') {
    return explainDatabaseStartupError(error, config.get(DatabaseConfig).DATABASE_URL);
  }
  return (error as Error)?.message ?? String(error);
}

void bootstrap();
