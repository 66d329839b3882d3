import { BoundedWindowCounter } from './bounded-window-counter';

describe('BoundedWindowCounter', () => {
  let now: number;
  const counter = (maxKeys = 100) => new BoundedWindowCounter(60_000, 3, maxKeys, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('refuses a key that reached the limit until its window ends', () => {
    const c = counter();
    for (let i = 0; i < 2; i++) c.hit('a');
    expect(c.retryAfterS('a')).toBe(0);
    c.hit('a');
    expect(c.retryAfterS('a')).toBe(60);
    now += 59_500;
    expect(c.retryAfterS('a')).toBe(1);
    expect(c.retryAfterS('b')).toBe(0);
    now += 500;
    expect(c.retryAfterS('a')).toBe(0);
    c.hit('a');
    expect(c.retryAfterS('a')).toBe(0);
  });

  it('holds at most maxKeys keys, forgetting the oldest window first', () => {
    const c = counter(3);
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) c.hit(key);
      now += 1000;
    }
    c.hit('d');
    expect(c.size).toBe(3);
    expect(c.retryAfterS('a')).toBe(0);
    expect(c.retryAfterS('b')).toBeGreaterThan(0);
    for (let i = 0; i < 10_000; i++) c.hit(`k${i}`);
    expect(c.size).toBe(3);
  });

  it('a restarted window moves its key to the newest place', () => {
    const c = counter(2);
    c.hit('a');
    now += 1000;
    c.hit('b');
    now += 60_000; // both windows ended; a restarts and is now the newest
    for (let i = 0; i < 3; i++) c.hit('a');
    c.hit('c'); // forgets b, not a
    expect(c.retryAfterS('a')).toBeGreaterThan(0);
    expect(c.size).toBe(2);
  });
});
