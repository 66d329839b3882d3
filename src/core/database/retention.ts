import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { SqlExecutor, type Statement } from './sql-executor';

/** One kind of expired row to delete: a statement that deletes at most one batch, by itself. */
export interface Purge {
  statement: Statement;
  /** The statement's values, read at each run (a retention may be configured). */
  values: () => unknown[];
  /** How often to run it (each replica runs it; a second run finds nothing to delete). */
  everyMs: number;
}

/** Batches run back to back until one deletes fewer rows than this. */
export const PURGE_BATCH = 1000;

/**
 * Deletes what has outlived its retention (expired idempotency keys, old tombstones) without an
 * operator: every registered purge runs on a timer, in batches, so no single statement holds
 * locks for long, and a failure is logged and retried at the next run.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly purges: Purge[] = [];
  private readonly timers = new Map<Purge, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly sql: SqlExecutor,
    @InjectPinoLogger('Retention') private readonly logger: PinoLogger,
  ) {}

  register(purge: Purge): void {
    this.purges.push(purge);
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    for (const purge of this.purges) {
      // Spread over the interval so replicas started together do not purge together.
      this.schedule(purge, Math.random() * purge.everyMs);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Runs one purge to the end (batch after batch); the rows deleted. */
  async run(purge: Purge): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.sql.run(purge.statement, purge.values());
      total += rowCount;
      if (rowCount < PURGE_BATCH) return total;
    }
  }

  private async runAndRepeat(purge: Purge): Promise<void> {
    try {
      const deleted = await this.run(purge);
      if (deleted > 0)
        this.logger.info({ purge: purge.statement.name, deleted }, 'expired rows purged');
    } catch (error) {
      this.logger.warn(
        { purge: purge.statement.name, code: (error as { code?: string }).code },
        'purge failed; retried at the next run',
      );
    }
    this.schedule(purge, purge.everyMs);
  }

  private schedule(purge: Purge, delayMs: number): void {
    if (this.stopped) return;
    this.timers.set(purge, setTimeout(() => void this.runAndRepeat(purge), delayMs).unref());
  }
}
