import { ERRORS } from '../errors/api-error';
import type { WindowCount } from './window-counter';

/** Where a limit counts: a WindowCounter in this process, or RedisCounters (every replica). */
export interface CounterStore {
  hit(key: string): WindowCount | Promise<WindowCount>;
  undo(key: string): void;
}

/** `quota` hits per key per fixed window, told in draft-ietf-httpapi-ratelimit-headers' headers. */
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
export function rateLimited(state: { resetInS: number; headers: Record<string, string> }) {
  return ERRORS.rateLimited.error(
    'Too many requests, retry later',
    { retry_after_s: state.resetInS },
    { 'Retry-After': String(state.resetInS), ...state.headers },
  );
}
