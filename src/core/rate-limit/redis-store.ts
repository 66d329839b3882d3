import { Redis } from 'ioredis';
import { withTimeout } from '../database/pg-errors';
import type { WindowCount } from './window-counter';
import { type CounterStore, processStore } from './window-limit';

/** One hit: the key's first starts its window, and the key expires with it. */
const HIT = `local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;
/** Only within the window and above zero: a DECR alone would recreate an expired key forever. */
const UNDO = `if redis.call('PTTL', KEYS[1]) > 0 and tonumber(redis.call('GET', KEYS[1])) > 0 then
  redis.call('DECR', KEYS[1])
end
return 0`;

type LimitRedis = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitUndo(key: string): Promise<number>;
};

/** After a failure Redis is left alone this long, so an outage costs no request a deadline. */
export const REDIS_RETRY_AFTER_MS = 1000;

/**
 * The limits' counters in Redis, shared by every replica: one script per hit (one round trip,
 * atomic), keys `rate-limit:<limit>:<key>` expiring with their window. When Redis is not
 * connected, fails or misses the deadline, a hit is counted in the process's own store instead;
 * Redis is asked again REDIS_RETRY_AFTER_MS after a failure, and ioredis reconnects by itself.
 */
export class RedisCounters {
  readonly client: LimitRedis;
  private skipUntil = 0;
  private degraded = false;
  /** Hits counted in the process because Redis could not be used. */
  fallbacks = 0;

  constructor(
    url: string,
    private readonly deadlineMs: number,
    private readonly events: { failed(error: Error): void; recovered(): void },
  ) {
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    }) as LimitRedis;
    this.client.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
    this.client.defineCommand('rateLimitUndo', { numberOfKeys: 1, lua: UNDO });
    this.client.on('error', (error: Error) => events.failed(error));
  }

  /** Connected and not failing: hits go to Redis. */
  get usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.skipUntil;
  }

  store(limit: string, windowMs: number): CounterStore {
    const local = processStore(windowMs);
    const prefix = `rate-limit:${limit}:`;
    return {
      hit: async (key): Promise<WindowCount> => {
        if (this.usable) {
          try {
            const hit = this.client.rateLimitHit(prefix + key, windowMs);
            const [hits, ttl] = await withTimeout(hit, this.deadlineMs);
            if (this.degraded) this.recover();
            return { hits, resetInS: Math.max(1, Math.ceil(ttl / 1000)) };
          } catch (error) {
            this.skipUntil = Date.now() + REDIS_RETRY_AFTER_MS;
            this.events.failed(error as Error);
          }
        }
        this.fallbacks += 1;
        this.degraded = true;
        return local.hit(key);
      },
      undo: (key) => {
        if (this.usable) this.client.rateLimitUndo(prefix + key).catch(() => undefined);
        else local.undo(key);
      },
    };
  }

  private recover(): void {
    this.degraded = false;
    this.events.recovered();
  }

  close(): void {
    this.client.disconnect();
  }
}
