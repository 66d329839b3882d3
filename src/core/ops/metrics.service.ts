import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SqlExecutor } from '../database/sql-executor';

/** The route label of a request that matched no route: never the raw URL (unbounded, may hold ids). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * several apps can live in one process, as in the tests): HTTP requests by route template, method
 * and status, the database pool, and prom-client's default process metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly durations: Histogram<'route' | 'method' | 'status'>;

  constructor(sql: SqlExecutor) {
    const registers = [this.registry];
    const labelNames = ['route', 'method', 'status'] as const;
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template, method and status',
      labelNames,
      registers,
    });
    this.durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route template, method and status',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
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

  /** One answered request; `route` is the route template, undefined when none matched. */
  observe(route: string | undefined, method: string, status: number, elapsedMs: number): void {
    const labels = { route: route ?? UNMATCHED_ROUTE, method, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, elapsedMs / 1000);
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
