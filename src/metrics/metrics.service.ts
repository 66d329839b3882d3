import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Environment } from '../config/environment';
import { SqlExecutor } from '../database/sql-executor';

/** The route label of a request that matched no route: never the raw URL (unbounded, may hold ids). */
export const UNMATCHED_ROUTE = 'unmatched';

interface RouteSeries {
  count: { inc(): void };
  duration: { observe(value: number): void };
}

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * several apps can live in one process, as in the tests): HTTP requests by route template, method
 * and status, the database pool, and prom-client's default process metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route' | 'method' | 'status'>;
  /**
   * Bound children per label set, by route, method and status: the hot path does three lookups
   * on strings it already has (no key to build) instead of prom-client hashing the labels.
   */
  private readonly series = new Map<string | undefined, Map<string, Map<number, RouteSeries>>>();

  constructor(sql: SqlExecutor, env: Environment) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
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
    }).set(env.DATABASE_POOL_SIZE);
  }

  /** One answered request; `route` is the route template, undefined when none matched. */
  observe(route: string | undefined, method: string, status: number, elapsedMs: number): void {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) this.series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) {
      const labels = { route: route ?? UNMATCHED_ROUTE, method, status: String(status) };
      series = { count: this.requests.labels(labels), duration: this.duration.labels(labels) };
      byStatus.set(status, series);
    }
    series.count.inc();
    series.duration.observe(elapsedMs / 1000);
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
