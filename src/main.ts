import 'reflect-metadata';
import { createApp } from './app.factory';
import { loadEnvFile } from './config/env-file';
import {
  ConfigValidationError,
  drainDelayMs,
  Environment,
  validateEnvironment,
} from './config/environment';
import { parsePostgresUrl, redactUrl } from './database/connection-url';
import { DatabaseStartupError } from './database/database-verifier';
import { explainDatabaseStartupError } from './database/startup-errors';
import { runMigrationsLocked } from './database/migration-runner';
import { LifecycleState } from './health/lifecycle.state';
import { GracefulShutdown } from './lifecycle/graceful-shutdown';
import { contextLogger } from './logging/context-logger';

/** A startup failure is one clear line on stderr and exit code 1: no stack, no secret. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function loadConfig(): Environment {
  loadEnvFile();
  try {
    return validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) fail(error.message);
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const env = loadConfig();
  try {
    // Built, not started: nothing touches the database until listen() initialises the app.
    const app = await createApp(env);
    const logger = await contextLogger(app, 'Bootstrap');
    logger.info(
      `configuration loaded (NODE_ENV=${env.NODE_ENV}, ${describeDatabase(env)}, tokens ${describeAuth(env)}, rate limit ${env.RATE_LIMIT_ENABLED ? `${env.RATE_LIMIT_LIMIT}/${env.RATE_LIMIT_TTL_MS}ms per user` : 'off'})`,
    );
    if (env.MIGRATIONS_RUN_ON_STARTUP) {
      // Same advisory lock as the migration Job: replicas starting together apply each once.
      await runMigrationsLocked(env, await contextLogger(app, 'Migrations'));
    }
    // Our own signal handling, not Nest's enableShutdownHooks: readiness must flip and the drain
    // delay pass before anything closes.
    const closable = {
      // The adapter's close() is typed `any`; Fastify's returns a promise, awaited here.
      closeListener: async () => {
        await app.getHttpAdapter().close();
      },
      close: () => app.close(),
    };
    new GracefulShutdown(
      closable,
      app.get(LifecycleState),
      await contextLogger(app, 'Shutdown'),
      {
        drainDelayMs: drainDelayMs(env),
        timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      },
      (code) => process.exit(code),
    ).install();
    await app.listen({ port: env.PORT, host: env.HOST });
    logger.info(`listening on port ${env.PORT}`);
  } catch (error) {
    fail(`Startup failed: ${describeStartupError(error, env)}`);
  }
}

/** Where the app and its migrations connect (no password), the pool, and the statement mode. */
function describeDatabase(env: Environment): string {
  const migrations = env.DATABASE_MIGRATIONS_URL
    ? `, migrations ${redactUrl(env.DATABASE_MIGRATIONS_URL)}`
    : '';
  return `database ${redactUrl(env.DATABASE_URL)}${migrations}, pool ${env.DATABASE_POOL_SIZE}, prepared statements ${env.DATABASE_PREPARED_STATEMENTS}`;
}

/** Which key sources verify tokens; the JWKS by host only, the secret never. */
function describeAuth(env: Environment): string {
  const sources: string[] = [];
  if (env.AUTH_JWT_SECRET !== undefined) sources.push('HS* secret');
  if (env.AUTH_JWKS_URL !== undefined) sources.push(`JWKS at ${new URL(env.AUTH_JWKS_URL).host}`);
  return sources.join(' + ');
}

/**
 * Database failures get their own sentence (DatabaseVerifier); a port that cannot be bound names
 * the address; anything else its message, never a connection URL.
 */
function describeStartupError(error: unknown, env: Environment): string {
  if (error instanceof DatabaseStartupError) return error.message;
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (syscall === 'listen' && typeof code === 'string') {
    return `cannot listen on ${env.HOST}:${env.PORT} (${code === 'EADDRINUSE' ? 'address already in use' : code})`;
  }
  if (typeof code === 'string' && code !== '') {
    return explainDatabaseStartupError(error, parsePostgresUrl(env.DATABASE_URL));
  }
  return (error as Error)?.message ?? String(error);
}

void bootstrap();
