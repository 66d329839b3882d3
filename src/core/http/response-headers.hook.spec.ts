import type { FastifyReply, FastifyRequest } from 'fastify';
import { DOCS_CSP, requestIdFor, ResponseHeadersHook } from './response-headers.hook';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ResponseHeadersHook', () => {
  const answer = (url: string, id = 'req-7') => {
    const reply = { headers: jest.fn(), header: jest.fn() };
    const done = jest.fn();
    new ResponseHeadersHook().onRequest(
      { url, id } as FastifyRequest,
      reply as unknown as FastifyReply,
      done,
    );
    expect(done).toHaveBeenCalledWith();
    expect(reply.header).toHaveBeenCalledWith('X-Request-Id', id);
    return (reply.headers.mock.calls as unknown[][])[0][0] as Record<string, string>;
  };

  it("sends helmet's defaults, with the docs policy only under /docs", () => {
    const api = answer('/api/alice/tasks');
    expect(api['x-content-type-options']).toBe('nosniff');
    expect(api['content-security-policy']).toContain("default-src 'self'");
    expect(api['content-security-policy']).not.toBe(DOCS_CSP);
    for (const url of ['/docs', '/docs/', '/docs?x', '/docs/swagger-ui.css']) {
      expect(answer(url)['content-security-policy']).toBe(DOCS_CSP);
    }
    expect(answer('/docsx')['content-security-policy']).not.toBe(DOCS_CSP);
  });

  it('marks every answer outside /docs no-store: per-user data stays out of caches', () => {
    expect(answer('/api/alice/tasks')['cache-control']).toBe('no-store');
    expect(answer('/health/live')['cache-control']).toBe('no-store');
    expect(answer('/docs/swagger-ui.css')['cache-control']).toBeUndefined();
  });
});

describe('requestIdFor', () => {
  const request = (headers: Record<string, string | string[]>) => ({ headers });

  it('keeps a sane client id, else makes a new UUID', () => {
    expect(requestIdFor(request({ 'x-request-id': 'abc-123_x.y:z' }))).toBe('abc-123_x.y:z');
    for (const sent of ['', 'a b', 'x'.repeat(129), 'é', 'a\nb']) {
      expect(requestIdFor(request({ 'x-request-id': sent }))).toMatch(UUID);
    }
    expect(requestIdFor(request({ 'x-request-id': ['a', 'b'] }))).toMatch(UUID);
    expect(requestIdFor(request({}))).toMatch(UUID);
  });
});
