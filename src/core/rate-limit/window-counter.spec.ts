import { WindowCounter, WindowCounterStorage } from './window-counter';

describe('WindowCounter', () => {
  let now: number;
  const clock = { now: () => now };
  const counter = (maxKeys = 100) => new WindowCounter(60_000, maxKeys, clock);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits per key in a window, with the seconds left rounded up, then starts over', () => {
    const c = counter();
    expect(c.current('a')).toBeUndefined();
    expect(c.hit('a')).toEqual({ hits: 1, resetInS: 60 });
    now += 15_500;
    expect(c.hit('a')).toEqual({ hits: 2, resetInS: 45 });
    expect(c.hit('b')).toEqual({ hits: 1, resetInS: 60 });
    now += 44_499;
    expect(c.current('a')).toEqual({ hits: 2, resetInS: 1 });
    now += 2;
    expect(c.current('a')).toBeUndefined();
    expect(c.hit('a')).toEqual({ hits: 1, resetInS: 60 });
    expect(c.current('b')).toEqual({ hits: 1, resetInS: 16 });
  });

  it('holds at most maxKeys keys, forgetting the least recently seen first', () => {
    const c = counter(3);
    for (const key of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) c.hit(key);
      now += 1000;
    }
    c.hit('d');
    expect(c.size).toBe(3);
    expect(c.current('a')).toBeUndefined();
    expect(c.current('b')).toEqual({ hits: 3, resetInS: 58 });
    for (let i = 0; i < 10_000; i++) c.hit(`k${i}`);
    expect(c.size).toBe(3);
  });

  it('keeps a restarted window, and a key being checked, among the newest', () => {
    const c = counter(2);
    c.hit('a');
    now += 1000;
    c.hit('b');
    now += 60_000; // both windows ended; a restarts and is now the newest
    for (let i = 0; i < 3; i++) c.hit('a');
    c.hit('c'); // forgets b, not a
    expect(c.current('a')?.hits).toBe(3);
    expect(c.size).toBe(2);
    c.hit('d'); // forgets c: a was checked after c was counted
    expect(c.current('a')?.hits).toBe(3);
    expect(c.current('c')).toBeUndefined();
  });
});

describe('WindowCounterStorage', () => {
  let now: number;
  let storage: WindowCounterStorage;

  beforeEach(() => {
    now = 1_000_000;
    storage = new WindowCounterStorage(new WindowCounter(60_000, 100, { now: () => now }));
  });

  it('counts hits in a window and blocks past the limit until it ends', async () => {
    await expect(storage.increment('u', 60_000, 2)).resolves.toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    await storage.increment('u', 60_000, 2);
    now += 15_500;
    await expect(storage.increment('u', 60_000, 2)).resolves.toEqual({
      totalHits: 3,
      timeToExpire: 45,
      isBlocked: true,
      timeToBlockExpire: 45,
    });
    await expect(storage.increment('other', 60_000, 2)).resolves.toMatchObject({
      isBlocked: false,
    });
    now += 44_499;
    await expect(storage.increment('u', 60_000, 2)).resolves.toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 1,
    });
    now += 2;
    await expect(storage.increment('u', 60_000, 2)).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });
});
