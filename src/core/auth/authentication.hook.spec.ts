import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import type { ApiError } from '../errors/api-error';
import {
  KeySetUnavailableError,
  type RejectionReason,
  SessionStoreUnavailableError,
  TokenRejectedError,
} from './auth.errors';
import { AuthenticationHook } from './authentication.hook';
import { PUBLIC_ROUTE } from './decorators';
import type { TokenVerifier } from './token-verifier';

function requestFor(authorization: string, params: Record<string, string> = {}) {
  const reply = {};
  const request = { headers: { authorization }, params, user: null };
  return { request: request as unknown as FastifyRequest, reply: reply as unknown as FastifyReply };
}

const logger = () => ({ error: jest.fn() });
const hookWith = (verifier: Partial<TokenVerifier>, log = logger()) =>
  new AuthenticationHook(verifier as TokenVerifier, log as unknown as PinoLogger);

const challenge = (description: string) =>
  `Bearer realm="tasks-api", error="invalid_token", error_description="${description}"`;
const run = (auth: AuthenticationHook, request: FastifyRequest, reply: FastifyReply) =>
  new Promise<Error | undefined>((resolve) => auth.onRequest(request, reply, resolve));

describe('AuthenticationHook', () => {
  it('protects every route whose config does not say public, after the route’s own hooks', () => {
    const auth = hookWith({});
    const own = jest.fn();
    const routes = [
      { url: '/api/:user_id/tasks' },
      { url: '/anything', onRequest: own },
      { url: '/more', onRequest: [own, own] },
      { url: '/health/live', config: PUBLIC_ROUTE },
      { url: '/private', config: { other: 1 } },
    ] as unknown as RouteOptions[];
    routes.forEach(auth.onRoute);
    expect(routes.map((r) => r.onRequest)).toEqual([
      [auth.onRequest],
      [own, auth.onRequest],
      [own, own, auth.onRequest],
      undefined,
      [auth.onRequest],
    ]);
  });

  it('admits a cached token for the path’s own user, refuses another user’s path with 403', async () => {
    const auth = hookWith({ cached: () => ({ id: 'alice' }) });
    const own = requestFor('Bearer abc', { user_id: 'alice' });
    await expect(run(auth, own.request, own.reply)).resolves.toBeUndefined();
    expect(own.request.user).toEqual({ id: 'alice' });
    const other = requestFor('Bearer abc', { user_id: 'bob' });
    await expect(run(auth, other.request, other.reply)).resolves.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(other.request.user).toBeNull();
  });

  it('spends the budget only through the verifier, and gives it back when the token is valid', async () => {
    const refund = jest.fn();
    const budget = { spend: jest.fn(() => Promise.resolve(refund)) };
    const verifying = (outcome: 'valid' | 'refused') => {
      const verify = async (_token: string, spend?: () => Promise<void>) => {
        await spend?.();
        if (outcome === 'refused') throw new TokenRejectedError('unknown_session');
        return { id: 'alice' };
      };
      return new AuthenticationHook(
        { cached: () => undefined, verify } as unknown as TokenVerifier,
        logger() as unknown as PinoLogger,
        budget,
      );
    };
    const valid = requestFor('Bearer abc');
    await expect(run(verifying('valid'), valid.request, valid.reply)).resolves.toBeUndefined();
    expect(budget.spend).toHaveBeenCalledWith(valid.request);
    expect(refund).toHaveBeenCalledTimes(1);
    const refused = requestFor('Bearer abc');
    await expect(run(verifying('refused'), refused.request, refused.reply)).resolves.toMatchObject({
      code: 'INVALID_TOKEN',
    });
    expect(refund).toHaveBeenCalledTimes(1);
    // a cached token costs nothing
    const cached = requestFor('Bearer abc');
    await run(hookWith({ cached: () => ({ id: 'alice' }) }), cached.request, cached.reply);
    expect(budget.spend).toHaveBeenCalledTimes(2);
  });

  it('lets an unexpected verifier failure through untranslated (it becomes a 500)', async () => {
    const boom = new Error('bug');
    const auth = hookWith({ cached: () => undefined, verify: () => Promise.reject(boom) });
    const { request, reply } = requestFor('Bearer abc');
    await expect(run(auth, request, reply)).resolves.toBe(boom);
  });

  it('challenges a 401 per RFC 6750: no error code without credentials, invalid_token otherwise', async () => {
    const refusing = (reason: RejectionReason) =>
      hookWith({
        cached: () => undefined,
        verify: () => Promise.reject(new TokenRejectedError(reason, 'aud')),
      });
    const missing = requestFor('Basic abc');
    await expect(run(hookWith({}), missing.request, missing.reply)).resolves.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Authorization header must be "Bearer <token>"',
      headers: { 'WWW-Authenticate': 'Bearer realm="tasks-api"' },
    });
    const { request, reply } = requestFor('Bearer abc');
    await expect(run(refusing('expired'), request, reply)).resolves.toMatchObject({
      code: 'TOKEN_EXPIRED',
      headers: { 'WWW-Authenticate': challenge('The access token expired') },
    });
    await expect(run(refusing('claims'), request, reply)).resolves.toMatchObject({
      code: 'INVALID_TOKEN',
      details: { reason: 'claims', claim: 'aud' },
      headers: { 'WWW-Authenticate': challenge('The access token is invalid') },
    });
  });

  it('answers a JWKS outage with 503 and Retry-After, logging it once per interval', async () => {
    const log = logger();
    const outage = new KeySetUnavailableError(new Error('ECONNREFUSED'));
    const auth = hookWith({ cached: () => undefined, verify: () => Promise.reject(outage) }, log);
    for (let i = 0; i < 3; i++) {
      const { request, reply } = requestFor('Bearer abc');
      await expect(run(auth, request, reply)).resolves.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        headers: { 'Retry-After': '5' },
      });
    }
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('answers a session store outage with 503 too, never a 401', async () => {
    const outage = new SessionStoreUnavailableError(new Error('ECONNREFUSED'));
    const auth = hookWith({ cached: () => undefined, verify: () => Promise.reject(outage) });
    const { request, reply } = requestFor('Bearer opaque');
    const answer = await run(auth, request, reply);
    expect(answer).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((answer as ApiError).headers).not.toHaveProperty('WWW-Authenticate');
    expect(outage.message).toBe('session store unavailable: ECONNREFUSED');
  });
});
