import { LRUCache } from 'lru-cache';

/** Least recently used out first when full; each entry expires on its own (on Date.now()). */
export function ttlCache<V extends object>(max: number): LRUCache<string, V> {
  return new LRUCache<string, V>({ max, perf: Date, ttlResolution: 0 });
}

/** Keeps `value` strictly before epoch ms `until` (lru-cache's TTL includes its last millisecond). */
export function cacheUntil<V extends object>(
  cache: LRUCache<string, V>,
  key: string,
  value: V,
  until: number,
  now = Date.now(),
): void {
  if (until - now > 1) cache.set(key, value, { ttl: until - now - 1, start: now });
}
