import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { SqlExecutor } from '../database/sql-executor';
import { RequestMetrics } from './request-metrics';

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * several apps can live in one process, as in the tests): HTTP requests by route template, method
 * and status, the database pool, and prom-client's default process metrics.
 */
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

  /** One answered request; `route` is the route template, undefined when none matched. */
  observe(route: string | undefined, method: string, status: number, elapsedMs: number): void {
    this.requests.observe(route, method, status, elapsedMs / 1000);
  }

  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
