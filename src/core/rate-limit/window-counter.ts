import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { LRUCache } from 'lru-cache';

/**
 * Keys a counter holds at most (~1 MB). A client that keeps sending stays among the most recent
 * keys, so only that many other keys within one of its pauses could push its count out.
 */
export const WINDOW_KEYS_MAX = 10_000;

/** A key's hits in its current window, and the seconds until that window ends, rounded up. */
export interface WindowCount {
  hits: number;
  resetInS: number;
}

/**
 * Events per key in fixed windows of `windowMs`, bounded in keys whatever arrives (a flood of
 * addresses cannot grow the process): when full, the least recently seen key goes. A window that
 * ended restarts from zero as the newest key. Fixed windows let a client send up to twice its
 * limit across a window boundary, acceptable for these budgets.
 */
export class WindowCounter {
  private readonly windows: LRUCache<string, { hits: number }>;

  constructor(windowMs: number, maxKeys = WINDOW_KEYS_MAX, clock?: { now(): number }) {
    this.windows = new LRUCache({ max: maxKeys, ttl: windowMs, ttlResolution: 0, perf: clock });
  }

  get size(): number {
    return this.windows.size;
  }

  /** Counts one event for `key`. */
  hit(key: string): WindowCount {
    let window = this.windows.get(key);
    if (window === undefined) this.windows.set(key, (window = { hits: 0 }));
    window.hits += 1;
    return { hits: window.hits, resetInS: this.resetInS(key) };
  }

  /** The key's count without counting (it still becomes the most recent key); none once ended. */
  current(key: string): WindowCount | undefined {
    const window = this.windows.get(key);
    return window && { hits: window.hits, resetInS: this.resetInS(key) };
  }

  private resetInS(key: string): number {
    return Math.max(1, Math.ceil(this.windows.getRemainingTTL(key) / 1000));
  }
}

/**
 * The throttler's storage: one WindowCounter, made with the throttler's one ttl. The default
 * storage keeps a timestamp per hit (a list as long as the limit per key) and any number of keys.
 */
export class WindowCounterStorage implements ThrottlerStorage {
  constructor(readonly counter: WindowCounter) {}

  increment(key: string, _ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const { hits, resetInS } = this.counter.hit(key);
    const isBlocked = hits > limit;
    return Promise.resolve({
      totalHits: hits,
      timeToExpire: resetInS,
      isBlocked,
      timeToBlockExpire: isBlocked ? resetInS : 0,
    });
  }
}
