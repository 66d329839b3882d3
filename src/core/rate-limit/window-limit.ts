import { ERRORS } from '../errors/api-error';
import { WindowCounter, type WindowCount } from './window-counter';

/** Where a limit counts: this process, or Redis shared by every replica (redis-store.ts). */
export interface CounterStore {
  /** Counts one hit for `key`: its hits in the current window and the seconds left. */
  hit(key: string): Promise<WindowCount>;
  /** Takes one hit back. */
  undo(key: string): void;
}

export function processStore(windowMs: number): CounterStore {
  const counter = new WindowCounter(windowMs);
  return {
    hit: (key) => Promise.resolve(counter.hit(key)),
    undo: (key) => counter.undo(key),
  };
}

/**
 * `quota` hits per key per fixed window, described by the headers of
 * draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "default";q=600;w=60` and
 * `RateLimit: "default";r=599;t=42`.
 */
export class WindowLimit {
  private readonly policy: string;

  constructor(
    readonly name: string,
    readonly quota: number,
    windowMs: number,
    readonly store: CounterStore,
  ) {
    this.policy = `"${name}";q=${quota};w=${Math.ceil(windowMs / 1000)}`;
  }

  /** Counts a hit: whether it is within the quota, the seconds left, the headers saying so. */
  async take(key: string) {
    const { hits, resetInS } = await this.store.hit(key);
    const remaining = Math.max(0, this.quota - hits);
    return {
      allowed: hits <= this.quota,
      resetInS,
      headers: {
        'RateLimit-Policy': this.policy,
        RateLimit: `"${this.name}";r=${remaining};t=${resetInS}`,
      },
    };
  }
}

/** 429 RATE_LIMITED, with `Retry-After` (when the window ends) and the RateLimit headers. */
export function rateLimited({
  resetInS,
  headers,
}: {
  resetInS: number;
  headers: Record<string, string>;
}) {
  return ERRORS.rateLimited.error(
    'Too many requests, retry later',
    { retry_after_s: resetInS },
    { 'Retry-After': String(resetInS), ...headers },
  );
}
