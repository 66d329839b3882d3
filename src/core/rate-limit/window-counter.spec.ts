import { WindowCounter } from './window-counter';

describe('WindowCounter', () => {
  let now: number;
  const clock = { now: () => now };
  const counter = (maxKeys = 100) => new WindowCounter(60_000, maxKeys, clock);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits per key in a window, with the seconds left rounded up, then starts over', () => {
    const c = counter();
    expect(c.hit('a')).toEqual({ hits: 1, resetInS: 60 });
    now += 15_500;
    expect(c.hit('a')).toEqual({ hits: 2, resetInS: 45 });
    expect(c.hit('b')).toEqual({ hits: 1, resetInS: 60 });
    now += 44_499;
    expect(c.hit('a')).toEqual({ hits: 3, resetInS: 1 });
    now += 2;
    expect(c.hit('a')).toEqual({ hits: 1, resetInS: 60 });
    expect(c.hit('b')).toEqual({ hits: 2, resetInS: 16 });
  });

  it('holds at most maxKeys keys, forgetting the least recently seen first', () => {
    const c = counter(3);
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) c.hit(key);
      now += 1000;
    }
    c.hit('d');
    expect(c.size).toBe(3);
    expect(c.hit('b')).toEqual({ hits: 4, resetInS: 58 });
    expect(c.hit('a')).toEqual({ hits: 1, resetInS: 60 });
    expect(c.size).toBe(3);
    for (let i = 0; i < 10_000; i++) c.hit(`k${i}`);
    expect(c.size).toBe(3);
  });

  it('keeps a restarted window, and a key being counted, among the newest', () => {
    const c = counter(2);
    c.hit('a');
    now += 1000;
    c.hit('b');
    now += 60_000; // both windows ended; a restarts and is now the newest
    for (let i = 0; i < 3; i++) c.hit('a');
    c.hit('c'); // forgets b, not a
    expect(c.hit('a').hits).toBe(4);
    expect(c.size).toBe(2);
    c.hit('d'); // forgets c: a was counted after c
    expect(c.hit('a').hits).toBe(5);
    expect(c.hit('c').hits).toBe(1);
  });

  it('takes an event back within its window, never below zero, and creates no key', () => {
    const c = counter();
    c.hit('a');
    c.hit('a');
    c.undo('a');
    expect(c.hit('a').hits).toBe(2);
    c.undo('a');
    c.undo('a');
    c.undo('a');
    expect(c.hit('a').hits).toBe(1);
    c.undo('never-seen');
    expect(c.size).toBe(1);
    expect(c.hit('never-seen').hits).toBe(1);
  });
});
