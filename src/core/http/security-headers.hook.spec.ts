import type { FastifyReply, FastifyRequest } from 'fastify';
import { DOCS_CSP, SecurityHeadersHook } from './security-headers.hook';

describe('SecurityHeadersHook', () => {
  const headersFor = (url: string) => {
    const reply = { headers: jest.fn() };
    const done = jest.fn();
    new SecurityHeadersHook().onRequest(
      { url } as FastifyRequest,
      reply as unknown as FastifyReply,
      done,
    );
    expect(done).toHaveBeenCalledWith();
    return (reply.headers.mock.calls as unknown[][])[0][0] as Record<string, string>;
  };

  it("sends helmet's defaults, with the docs policy only under /docs", () => {
    const api = headersFor('/api/alice/tasks');
    expect(api['x-content-type-options']).toBe('nosniff');
    expect(api['content-security-policy']).toContain("default-src 'self'");
    expect(api['content-security-policy']).not.toBe(DOCS_CSP);
    for (const url of ['/docs', '/docs/', '/docs?x', '/docs/swagger-ui.css']) {
      expect(headersFor(url)['content-security-policy']).toBe(DOCS_CSP);
    }
    expect(headersFor('/docsx')['content-security-policy']).not.toBe(DOCS_CSP);
  });

  it('marks every answer outside /docs no-store: per-user data stays out of caches', () => {
    expect(headersFor('/api/alice/tasks')['cache-control']).toBe('no-store');
    expect(headersFor('/health/live')['cache-control']).toBe('no-store');
    expect(headersFor('/docs/swagger-ui.css')['cache-control']).toBeUndefined();
  });
});
