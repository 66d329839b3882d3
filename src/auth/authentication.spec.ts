import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from './authentication';
import type { TokenVerifier } from './token-verifier';

function requestFor(authorization: string, url: string | undefined = '/api/:user_id/tasks') {
  const header = jest.fn();
  const request = { routeOptions: { url }, headers: { authorization }, params: {}, user: null };
  return {
    request: request as unknown as FastifyRequest,
    reply: { header } as unknown as FastifyReply,
    header,
  };
}

const run = (auth: Authenticator, request: FastifyRequest, reply: FastifyReply) =>
  new Promise<Error | undefined>((resolve) => auth.onRequest(request, reply, resolve));

describe('Authenticator', () => {
  it('lets an unexpected verifier failure through untranslated (it becomes a 500)', async () => {
    const boom = new Error('bug');
    const verifier = { cached: () => undefined, verify: () => Promise.reject(boom) };
    const auth = new Authenticator(verifier as unknown as TokenVerifier);
    const { request, reply, header } = requestFor('Bearer abc');
    await expect(run(auth, request, reply)).resolves.toBe(boom);
    expect(header).not.toHaveBeenCalled();
  });

  it('does not look at requests outside /api, nor at unmatched ones', async () => {
    const verifier = { cached: jest.fn(), verify: jest.fn() };
    const auth = new Authenticator(verifier as unknown as TokenVerifier);
    for (const url of ['/health/live', '/apix']) {
      const { request, reply } = requestFor('Bearer abc', url);
      await expect(run(auth, request, reply)).resolves.toBeUndefined();
    }
    {
      const { request, reply } = requestFor('Bearer abc');
      (request as unknown as { routeOptions: { url?: string } }).routeOptions.url = undefined;
      await expect(run(auth, request, reply)).resolves.toBeUndefined();
    }
    expect(verifier.cached).not.toHaveBeenCalled();
  });
});
