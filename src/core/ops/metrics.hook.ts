import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { MetricsService } from './metrics.service';

/** onResponse counts each answer; `scrape` serves the raw `/metrics` route (no Nest guard runs). */
@Injectable()
export class MetricsHook {
  constructor(private readonly metrics: MetricsService) {}

  readonly onResponse = (
    request: FastifyRequest,
    { statusCode, elapsedTime }: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    this.metrics.observe(request.routeOptions.url, request.method, statusCode, elapsedTime);
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
