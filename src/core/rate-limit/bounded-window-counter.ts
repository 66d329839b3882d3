interface Window {
  startedAt: number;
  hits: number;
}

/**
 * Counts events per key in fixed windows of `ttlMs`, holding at most `maxKeys` keys whatever
 * arrives: memory stays bounded under a flood from many addresses. The Map keeps its keys in the
 * order their windows started (a restarted window is moved to the end), so when it is full the
 * first key is the one to forget, in O(1): an ended window if there is one, else the oldest
 * running one. A flood from more than `maxKeys` addresses can thereby push out a count before its
 * window ends; it can never grow the process.
 */
export class BoundedWindowCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly ttlMs: number,
    private readonly limit: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.windows.size;
  }

  hit(key: string): void {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || now >= window.startedAt + this.ttlMs) {
      if (window !== undefined) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.forgetOldest();
      window = { startedAt: now, hits: 0 };
      this.windows.set(key, window);
    }
    window.hits += 1;
  }

  /** Seconds until the key's window ends when it has reached the limit; 0 while it has not. */
  retryAfterS(key: string): number {
    const window = this.windows.get(key);
    if (window === undefined || window.hits < this.limit) return 0;
    const left = window.startedAt + this.ttlMs - this.now();
    return left <= 0 ? 0 : Math.max(1, Math.ceil(left / 1000));
  }

  private forgetOldest(): void {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}
