import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';
import { SqlExecutor } from '../database/sql-executor';

/** The route label of a request that matched no route: never the raw URL (unbounded, may hold ids). */
const UNMATCHED_ROUTE = 'unmatched';
/** Upper bounds (seconds) of the duration histogram's buckets. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `inBucket`: requests per bucket, not cumulative. */
type Series = { labels: Record<string, string>; count: number; sum: number; inBucket: number[] };
type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

/**
 * `http_requests_total` and `http_request_duration_seconds` as plain numbers, made prom-client
 * samples only when scraped: its Counter and Histogram hash the labels on every observation.
 */
export class RequestMetrics {
  private readonly series = new Map<string, Series>();

  observe(route: string | undefined, method: string, status: number, seconds: number): void {
    const key = `${route}\u0000${method}\u0000${status}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { route: route ?? UNMATCHED_ROUTE, method, status: String(status) };
      series = { labels, count: 0, sum: 0, inBucket: DURATION_BUCKETS.map(() => 0) };
      this.series.set(key, series);
    }
    series.count += 1;
    series.sum += seconds;
    const bucket = DURATION_BUCKETS.findIndex((le) => seconds <= le);
    if (bucket >= 0) series.inBucket[bucket] += 1;
  }

  metrics(): Metric[] {
    const metric = (name: string, help: string, type: string, values: () => Sample[]) => {
      const get = () => Promise.resolve({ name, help, type, aggregator: 'sum', values: values() });
      return { name, help, type, aggregator: 'sum', get, reset: () => undefined };
    };
    const all = () => [...this.series.values()];
    return [
      metric(
        'http_requests_total',
        'HTTP requests answered, by route template, method and status',
        'counter',
        () => all().map((s) => ({ labels: s.labels, value: s.count })),
      ),
      metric(
        'http_request_duration_seconds',
        'HTTP request duration in seconds, by route template, method and status',
        'histogram',
        () => all().flatMap(histogramSamples),
      ),
    ] as unknown as Metric[];
  }
}

function histogramSamples({ labels, count, sum, inBucket }: Series): Sample[] {
  const name = 'http_request_duration_seconds';
  let cumulative = 0;
  const buckets = DURATION_BUCKETS.map((le, i) => {
    cumulative += inBucket[i];
    return { labels: { le, ...labels }, value: cumulative, metricName: `${name}_bucket` };
  });
  return [
    ...buckets,
    { labels: { le: '+Inf', ...labels }, value: count, metricName: `${name}_bucket` },
    { labels, value: sum, metricName: `${name}_sum` },
    { labels, value: count, metricName: `${name}_count` },
  ];
}

/** A registry of its own, not prom-client's global one: several apps may share a process (tests). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new RequestMetrics();

  constructor(sql: SqlExecutor) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    for (const metric of this.requests.metrics()) this.registry.registerMetric(metric);
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
    this.requests.observe(routeOptions.url, method, statusCode, elapsedTime / 1000);
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
