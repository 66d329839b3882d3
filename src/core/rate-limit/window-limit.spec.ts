import { WindowCounter } from './window-counter';
import { rateLimited, WindowLimit } from './window-limit';

describe('WindowLimit', () => {
  it('admits `quota` hits per key and window, saying so in the IETF RateLimit headers', async () => {
    const limit = new WindowLimit('default', 2, 60_000, new WindowCounter(60_000));
    const first = await limit.take('u');
    expect(first).toEqual({
      allowed: true,
      resetInS: 60,
      headers: { 'RateLimit-Policy': '"default";q=2;w=60', RateLimit: '"default";r=1;t=60' },
    });
    expect((await limit.take('u')).headers.RateLimit).toBe('"default";r=0;t=60');
    const third = await limit.take('u');
    expect(third.allowed).toBe(false);
    expect(third.headers.RateLimit).toBe('"default";r=0;t=60');
    expect((await limit.take('other')).allowed).toBe(true);
    limit.store.undo('u');
    limit.store.undo('u');
    expect((await limit.take('u')).allowed).toBe(true);
  });

  it('answers 429 with Retry-After, the seconds in the body, and the RateLimit headers', () => {
    const headers = { 'RateLimit-Policy': '"x";q=1;w=60', RateLimit: '"x";r=0;t=42' };
    const error = rateLimited({ resetInS: 42, headers });
    expect(error.getStatus()).toBe(429);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toEqual({ retry_after_s: 42 });
    expect(error.headers).toEqual({ 'Retry-After': '42', ...headers });
  });
});
