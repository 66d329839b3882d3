import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * onResponse: counts every answered request by the route template and the time Fastify measured.
 * `scrape` serves the raw `/metrics` route, which no Nest guard (auth, rate limit) runs on.
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
