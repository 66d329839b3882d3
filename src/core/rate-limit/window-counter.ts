import { LRUCache } from 'lru-cache';

/** About 1 MB; a client that keeps sending stays among the most recent keys. */
const WINDOW_KEYS_MAX = 10_000;

/** A key's hits in its current window, and the seconds until that window ends, rounded up. */
export interface WindowCount {
  hits: number;
  resetInS: number;
}

export const secondsLeft = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

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
    return { hits: window.hits, resetInS: secondsLeft(this.windows.getRemainingTTL(key)) };
  }

  /** Takes one event back (none once the window ended). */
  undo(key: string): void {
    const window = this.windows.peek(key);
    if (window !== undefined && window.hits > 0) window.hits -= 1;
  }
}
