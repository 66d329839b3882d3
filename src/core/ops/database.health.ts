import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../database/pg-errors';
import { SqlExecutor } from '../database/sql-executor';

const PING = { name: 'health_ping', text: 'SELECT current_database() AS database' };

export type DatabaseProbe = {
  connected: boolean;
  latency_ms: number | null;
  database: string | null;
};

/** A real round trip to PostgreSQL under a timeout, reported the terminus way. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async probe(timeoutMs: number): Promise<DatabaseProbe> {
    const started = performance.now();
    try {
      const { rows } = await withTimeout(this.sql.run<{ database: string }>(PING, []), timeoutMs);
      const latency = Math.round((performance.now() - started) * 10) / 10;
      return { connected: true, latency_ms: latency, database: rows[0].database };
    } catch {
      return { connected: false, latency_ms: null, database: null };
    }
  }

  async check(key: string, timeoutMs: number) {
    const indicator = this.indicators.check(key);
    const probe = await this.probe(timeoutMs);
    return probe.connected ? indicator.up(probe) : indicator.down(probe);
  }
}
