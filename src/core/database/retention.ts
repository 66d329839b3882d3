import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { SqlExecutor, type Statement } from './sql-executor';

/** A statement deleting at most PURGE_BATCH expired rows; every replica runs it every `everyMs`. */
export interface Purge {
  statement: Statement;
  values: () => unknown[];
  everyMs: number;
}

export const PURGE_BATCH = 1000;

/** Purges on timers, batch after batch so no statement holds locks long; failures retry next run. */
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
