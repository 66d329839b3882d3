import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../database/pg-errors';
import { SqlExecutor } from '../database/sql-executor';
import type { DatabaseProbeDto as DatabaseProbe } from './health.dto';

const PING = { name: 'health_ping', text: 'SELECT current_database() AS database' };

/** How long a probe waits for the database; below Kubernetes' default probe timeout budget. */
export const HEALTH_DB_TIMEOUT_MS = 2000;
/** A ping's answer serves every probe for this long: a flood of them costs one query a second. */
export const HEALTH_PING_REUSE_MS = 1000;

/**
 * A round trip to PostgreSQL under a timeout, shared by every health endpoint (one in flight, its
 * answer reused briefly), so public probes take at most one pool connection whatever their number.
 */
@Injectable()
export class DatabaseHealthIndicator {
  private shared: Promise<DatabaseProbe> | undefined;
  private answeredAt = 0;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly indicators: HealthIndicatorService,
  ) {}

  probe(): Promise<DatabaseProbe> {
    const fresh = performance.now() - this.answeredAt < HEALTH_PING_REUSE_MS;
    if (this.shared === undefined || (this.answeredAt > 0 && !fresh)) {
      this.answeredAt = 0;
      this.shared = this.ping().finally(() => (this.answeredAt = performance.now()));
    }
    return this.shared;
  }

  private async ping(): Promise<DatabaseProbe> {
    const started = performance.now();
    try {
      const run = this.sql.run<{ database: string }>(PING, []);
      const { rows } = await withTimeout(run, HEALTH_DB_TIMEOUT_MS);
      const latency = Math.round((performance.now() - started) * 10) / 10;
      return { connected: true, latency_ms: latency, database: rows[0].database };
    } catch {
      return { connected: false, latency_ms: null, database: null };
    }
  }

  async check(key: string) {
    const indicator = this.indicators.check(key);
    const probe = await this.probe();
    return probe.connected ? indicator.up({ ...probe }) : indicator.down({ ...probe });
  }
}
