import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** package.json sits two levels up from both src/ and dist/ files. */
const pkg = readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8');
export const APP_INFO = { version: String((JSON.parse(pkg) as { version?: unknown }).version) };

/** Whether the process has begun to shut down; readiness reads it, shutdown sets it. */
@Injectable()
export class LifecycleState {
  isShuttingDown = false;
  /** Parts readiness reports on but never fails for (e.g. the rate-limit store), by name. */
  readonly reports = new Map<string, () => Record<string, unknown>>();
}

/** Fastify's close (waits for in-flight requests), then Nest's (its hooks end the pool). */
export type Closable = { closeListener?(): Promise<void>; close(): Promise<void> };
export type ShutdownLogger = Record<'info' | 'error', (message: string) => void>;

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On the first signal readiness turns 503 at once, the process serves for the drain delay (so the
 * load balancer stops sending), closes and exits 0; a second signal, a failure or `timeoutMs` of
 * closing exits 1. Free of `process`, so tests drive it in-process.
 */
export class GracefulShutdown {
  private startedAt: number | undefined;
  private forceTimer: NodeJS.Timeout | undefined;
  private exited = false;

  constructor(
    private readonly app: Closable,
    private readonly lifecycle: { isShuttingDown: boolean },
    private readonly logger: ShutdownLogger,
    private readonly options: { drainDelayMs: number; timeoutMs: number },
    private readonly exit: (code: number) => void,
  ) {}

  /** Handles SIGTERM and SIGINT on `target`; returns a function that removes the handlers. */
  install(target: NodeJS.EventEmitter = process): () => void {
    const handler = (signal: string) => void this.handle(signal);
    for (const signal of SHUTDOWN_SIGNALS) target.on(signal, handler);
    return () => {
      for (const signal of SHUTDOWN_SIGNALS) target.off(signal, handler);
    };
  }

  async handle(signal: string): Promise<void> {
    if (this.startedAt !== undefined) {
      this.logger.error(`${signal} received again after ${this.elapsed()} ms: forcing exit 1`);
      this.finish(1);
      return;
    }
    this.startedAt = performance.now();
    this.lifecycle.isShuttingDown = true;
    const { drainDelayMs, timeoutMs } = this.options;
    this.logger.info(
      `${signal} received: readiness now 503; serving for a ${drainDelayMs} ms drain delay`,
    );
    await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
    if (this.exited) return;
    this.logger.info(
      `drain delay over after ${this.elapsed()} ms: closing the listener, waiting up to ${timeoutMs} ms for in-flight requests`,
    );
    this.forceTimer = setTimeout(() => {
      this.logger.error(`shutdown timeout of ${timeoutMs} ms reached: forcing exit 1`);
      this.finish(1);
    }, timeoutMs);
    try {
      if (this.app.closeListener) {
        await this.app.closeListener();
        this.logger.info(
          `listener closed, in-flight requests done after ${this.elapsed()} ms: closing the database pool`,
        );
      }
      await this.app.close();
    } catch (error) {
      this.logger.error(`shutdown failed: ${(error as Error)?.message ?? error}; exit 1`);
      this.finish(1);
      return;
    }
    this.logger.info(`application and database pool closed after ${this.elapsed()} ms: exit 0`);
    this.finish(0);
  }

  private finish(code: number): void {
    if (this.exited) return;
    this.exited = true;
    clearTimeout(this.forceTimer);
    this.exit(code);
  }

  private elapsed(): number {
    return Math.round(performance.now() - (this.startedAt as number));
  }
}
