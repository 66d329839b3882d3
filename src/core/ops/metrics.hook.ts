import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * onResponse: counts every answered request (route template from Fastify's router, the elapsed
 * time Fastify already measured). `scrape` is the handler of the raw `/metrics` route, which no
 * Nest guard (auth, rate limit) runs on.
 */
@Injectable()
export class MetricsHook {
  constructor(private readonly metrics: MetricsService) {}

  readonly onResponse = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    this.metrics.observe(
      request.routeOptions.url,
      request.method,
      reply.statusCode,
      reply.elapsedTime,
    );
    done();
  };

  readonly scrape = async (
    _request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const { contentType, body } = await this.metrics.scrape();
    return reply.header('Content-Type', contentType).send(body);
  };
}
