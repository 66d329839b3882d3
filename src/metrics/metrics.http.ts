import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Environment } from '../config/environment';
import { METRICS_PATH } from './metrics.server';
import { MetricsService } from './metrics.service';

/**
 * Counts every answered request in an onResponse hook (route template from Fastify's router, the
 * elapsed time Fastify already measured), and serves `/metrics` on the main port unless
 * METRICS_PORT moves it. The route is a plain Fastify route outside /api: the authentication hook
 * leaves it alone, and no Nest guard (the rate limiter) runs.
 */
export function installMetrics(app: NestFastifyApplication, env: Environment): void {
  const metrics = app.get(MetricsService);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request.routeOptions.url, request.method, reply.statusCode, reply.elapsedTime);
    done();
  });
  if (env.METRICS_PORT !== undefined) return;
  fastify.get(METRICS_PATH, async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.header('Content-Type', contentType).send(body);
  });
}
