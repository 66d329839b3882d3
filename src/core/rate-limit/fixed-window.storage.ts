import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

interface Window {
  startedAt: number;
  hits: number;
}

/**
 * In-memory fixed-window counter: one small object per active key, O(1) per request, and stale
 * windows swept at most once per window length during increments (no timer to keep the process
 * alive). The throttler's default storage keeps one timestamp per hit and filters them all on
 * every request, which grows with the limit. A fixed window lets a client send up to twice the
 * limit across a window boundary; for a generous per-user budget that is acceptable.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.windows.size;
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now, ttl);
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { startedAt: now, hits: 0 };
      this.windows.set(key, window);
    } else if (now >= window.startedAt + ttl) {
      window.startedAt = now;
      window.hits = 0;
    }
    window.hits += 1;
    const timeToExpire = Math.max(1, Math.ceil((window.startedAt + ttl - now) / 1000));
    const isBlocked = window.hits > limit;
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    });
  }

  private sweep(now: number, ttl: number): void {
    for (const [key, window] of this.windows) {
      if (now >= window.startedAt + ttl) this.windows.delete(key);
    }
    this.nextSweepAt = now + ttl;
  }
}
