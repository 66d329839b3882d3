import { FixedWindowThrottlerStorage } from './fixed-window.storage';

describe('FixedWindowThrottlerStorage', () => {
  let now: number;
  let storage: FixedWindowThrottlerStorage;

  beforeEach(() => {
    now = 1_000_000;
    storage = new FixedWindowThrottlerStorage(() => now);
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
    now += 44_500;
    await expect(storage.increment('u', 60_000, 2)).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });

  it('keeps keys apart', async () => {
    await storage.increment('a', 1000, 1);
    await expect(storage.increment('b', 1000, 1)).resolves.toMatchObject({ isBlocked: false });
    await expect(storage.increment('a', 1000, 1)).resolves.toMatchObject({ isBlocked: true });
  });

  it('never reports less than a second to wait', async () => {
    await storage.increment('u', 1000, 1);
    now += 999;
    await expect(storage.increment('u', 1000, 1)).resolves.toMatchObject({ timeToBlockExpire: 1 });
  });

  it('forgets windows that ended, at most once per window length', async () => {
    await storage.increment('a', 1000, 5);
    await storage.increment('b', 1000, 5);
    expect(storage.size).toBe(2);
    now += 1500;
    await storage.increment('c', 1000, 5);
    expect(storage.size).toBe(1);
  });

  it('restarts a window that ended between two sweeps', async () => {
    await storage.increment('a', 1000, 1);
    now += 500;
    await storage.increment('b', 1000, 1);
    now += 700; // sweeps: a is gone, b's window still runs
    await storage.increment('a', 1000, 1);
    now += 400; // b's window ended, no sweep due yet
    await expect(storage.increment('b', 1000, 1)).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });
});
