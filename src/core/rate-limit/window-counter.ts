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

  /** Takes one event back (none once the window ended). */
  undo(key: string): void {
    const window = this.windows.peek(key);
    if (window !== undefined && window.hits > 0) window.hits -= 1;
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
