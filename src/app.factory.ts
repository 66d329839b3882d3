import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { installAuthentication } from './auth/authentication';
import type { Environment } from './config/environment';
import { registerJsonBodyParser } from './common/json-body';
import { LifecycleState } from './health/lifecycle.state';
import { applySecurity } from './http/security';
import { requestIdFor } from './logging/request-id';
import { installRequestLog } from './logging/request-log';
import { ROOT_LOGGER } from './logging/root-logger';
import { installMetrics } from './metrics/metrics.http';
import { setupOpenApi } from './openapi/openapi';

/** The request body cap of the contract: anything larger is a 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the whole application, configured the same for `main.ts` and for the tests, so what the
 * tests exercise is what production runs. It does not listen.
 */
export async function createApp(
  env: Environment,
  options: { extraModules?: Array<Type | DynamicModule> } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    return503OnClosing: true,
    // No Nest middleware is mounted (request logging and authentication are Fastify hooks), so
    // @fastify/middie would only add a hook that every request walks through for nothing. Nest
    // middleware added later fails at startup until this goes.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, options.extraModules),
    adapter,
    {
      bufferLogs: true,
      // Nest's parsers would accept forms; the contract takes JSON only (json-body.ts).
      bodyParser: false,
      // Throw instead of process.abort(), so main.ts can say what went wrong and exit 1.
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify, BODY_LIMIT_BYTES);
  // Declared up front so every request object has the same shape (set by authentication on /api).
  fastify.decorateRequest('user', null);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    done();
  });
  // Once shutting down, every response closes its connection: keep-alive clients (load balancers)
  // reconnect elsewhere during the drain, and a connection whose request was in flight when the
  // listener closed does not linger idle and hold the shutdown until its timeout.
  const lifecycle = app.get(LifecycleState);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (lifecycle.isShuttingDown) reply.header('Connection', 'close');
    done(null, payload);
  });
  installRequestLog(fastify, app.get(ROOT_LOGGER));
  installMetrics(app, env);
  applySecurity(app, env);
  installAuthentication(app);
  setupOpenApi(app);
  return app;
}
