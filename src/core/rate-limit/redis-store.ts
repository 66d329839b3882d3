import { Redis } from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';
import { Counter } from 'prom-client';
import { withTimeout } from '../database/pg-errors';
import type { LifecycleState } from '../ops/lifecycle';
import type { MetricsService } from '../ops/metrics.service';
import type { RateLimitConfig } from './rate-limit.config';
import { secondsLeft, type WindowCount, WindowCounter } from './window-counter';
import type { CounterStore } from './window-limit';

/** One hit; the key's first starts its window and its expiry. Undo: never below zero. */
const HIT = `local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}`;
const UNDO = `if (tonumber(redis.call('GET', KEYS[1])) or 0) > 0 then redis.call('DECR', KEYS[1]) end`;

type LimitRedis = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitUndo(key: string): Promise<number>;
};

/** After a failure Redis is left alone this long, so an outage costs no request a deadline. */
const REDIS_RETRY_AFTER_MS = 1000;
const REDIS_LOG_INTERVAL_MS = 10_000;

/**
 * Counters shared by every replica in RATE_LIMIT_REDIS_URL (one atomic script per hit); when Redis
 * is down, failing or late, a hit is counted in the process instead (docs/operations.md).
 */
export class RedisCounters {
  private readonly client: LimitRedis;
  private readonly fallbacks: Counter;
  private skipUntil = 0;
  private degraded = false;
  private lastLog = -Infinity;
  private readonly timeoutMs = this.config.RATE_LIMIT_REDIS_TIMEOUT_MS;
  private readonly late = `no answer within ${this.timeoutMs} ms`;

  constructor(
    private readonly config: RateLimitConfig,
    metrics: MetricsService,
    lifecycle: LifecycleState,
    private readonly logger: PinoLogger,
  ) {
    const options = { enableOfflineQueue: false, maxRetriesPerRequest: 0 };
    this.client = new Redis(config.RATE_LIMIT_REDIS_URL!, options) as LimitRedis;
    this.client.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
    this.client.defineCommand('rateLimitUndo', { numberOfKeys: 1, lua: UNDO });
    this.client.on('error', (error: Error) => this.failed(error));
    this.fallbacks = new Counter({
      name: 'rate_limit_store_fallback_total',
      help: 'Rate-limit hits counted in the process because Redis could not be used',
      registers: [metrics.registry],
    });
    lifecycle.reports.set('rate_limit_store', () => ({ redis: this.usable ? 'up' : 'fallback' }));
  }

  /** Connected and not failing: hits go to Redis. */
  private get usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.skipUntil;
  }

  store(limit: string, windowMs: number): CounterStore {
    const local = new WindowCounter(windowMs);
    const prefix = `rate-limit:${limit}:`;
    return {
      hit: async (key): Promise<WindowCount> => {
        if (this.usable) {
          try {
            const hit = this.client.rateLimitHit(prefix + key, windowMs);
            const [hits, ttl] = await withTimeout(hit, this.timeoutMs, this.late);
            if (this.degraded) {
              this.degraded = false;
              this.lastLog = -Infinity;
              this.logger.info('rate limits: Redis is back, counting there again');
            }
            return { hits, resetInS: secondsLeft(ttl) };
          } catch (error) {
            this.skipUntil = Date.now() + REDIS_RETRY_AFTER_MS;
            this.failed(error as Error);
          }
        }
        this.fallbacks.inc();
        this.degraded = true;
        return local.hit(key);
      },
      undo: (key) => {
        if (this.usable) this.client.rateLimitUndo(prefix + key).catch(() => undefined);
        else local.undo(key);
      },
    };
  }

  private failed(error: Error): void {
    if (Date.now() - this.lastLog < REDIS_LOG_INTERVAL_MS) return;
    this.lastLog = Date.now();
    this.logger.warn(`rate limits: Redis unavailable (${error.message}), counting in this process`);
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
