import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SqlExecutor } from '../database/sql-executor';

/** The route label of a request that matched no route: never the raw URL (unbounded, may hold ids). */
const UNMATCHED_ROUTE = 'unmatched';
/** Upper bounds (seconds) of the duration histogram's buckets. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A registry of its own, not prom-client's global one: several apps may share a process (tests). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  constructor(sql: SqlExecutor) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (in_use, idle)',
      labelNames: ['state'],
      registers,
      collect() {
        const { total, idle } = sql.poolStats();
        this.set({ state: 'in_use' }, total - idle);
        this.set({ state: 'idle' }, idle);
      },
    });
    new Gauge({
      name: 'db_pool_waiting',
      help: 'Requests waiting for a database pool connection',
      registers,
      collect() {
        this.set(sql.poolStats().waiting);
      },
    });
    new Gauge({
      name: 'db_pool_max',
      help: 'Database pool size limit (DATABASE_POOL_SIZE)',
      registers,
      collect() {
        this.set(sql.poolStats().max);
      },
    });
  }

  /** The onResponse hook: each answer under its route template (undefined when none matched). */
  readonly onResponse = (
    { routeOptions, method }: FastifyRequest,
    { statusCode, elapsedTime }: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const labels = { route: routeOptions.url ?? UNMATCHED_ROUTE, method, status: statusCode };
    this.requests.inc(labels);
    this.durations.observe(labels, elapsedTime / 1000);
    done();
  };

  /** Serves the raw `/metrics` route of the API port (no Nest guard runs). */
  readonly scrape = async (
    _request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const body = await this.registry.metrics();
    return reply.header('Content-Type', this.registry.contentType).send(body);
  };
}
