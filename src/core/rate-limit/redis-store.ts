import { Redis } from 'ioredis';
import type { WindowCount } from './window-counter';
import { type CounterStore, processStore } from './window-limit';

/** One hit; the key's first starts its window and its expiry. Undo: never below zero. */
const HIT = `local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}`;
const UNDO = `if (tonumber(redis.call('GET', KEYS[1])) or 0) > 0 then redis.call('DECR', KEYS[1]) end`;

type LimitRedis = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitUndo(key: string): Promise<number>;
};

/**
 * `work`, or a rejection once `ms` passed. The rejection waits for the poll phase after the timer:
 * an answer already read from the socket wins over a deadline that a busy event loop overslept.
 */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    const fail = () => reject(new Error(`no answer within ${ms} ms`));
    timer = setTimeout(() => setImmediate(fail), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

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
            const [hits, ttl] = await within(hit, this.deadlineMs);
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
