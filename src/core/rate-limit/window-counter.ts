import { LRUCache } from 'lru-cache';

/** About 1 MB; a client that keeps sending stays among the most recent keys. */
const WINDOW_KEYS_MAX = 10_000;

/** A key's hits in its current window, and the seconds until that window ends, rounded up. */
export interface WindowCount {
  hits: number;
  resetInS: number;
}

/** Events per key in fixed windows, bounded in keys: when full, the least recently seen goes. */
export class WindowCounter {
  private readonly windows: LRUCache<string, { hits: number }>;

  constructor(windowMs: number, maxKeys = WINDOW_KEYS_MAX, clock?: { now(): number }) {
    this.windows = new LRUCache({ max: maxKeys, ttl: windowMs, ttlResolution: 0, perf: clock });
  }

  get size(): number {
    return this.windows.size;
  }

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
