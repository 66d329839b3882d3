interface Entry<V> {
  value: V;
  /** Epoch ms from which the entry is gone. */
  until: number;
}

/**
 * A map whose entries expire and whose size is bounded: when full, the oldest entry goes (a Map
 * iterates in insertion order), so whatever a caller sends, memory stays bounded.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now < entry.until) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, until: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { value, until });
  }
}
