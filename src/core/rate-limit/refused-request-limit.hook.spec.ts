import type { FastifyReply, FastifyRequest } from 'fastify';
import { loadAppConfig } from '../../app.module';
import type { ApiError } from '../errors/api-error';
import { RateLimitConfig } from './rate-limit.config';
import { RefusedRequestLimitHook } from './refused-request-limit.hook';

const config = loadAppConfig({
  DATABASE_URL: 'postgres://u@h/db',
  AUTH_JWT_SECRET: 's',
  RATE_LIMIT_REFUSED_LIMIT: '2',
}).get(RateLimitConfig);

const request = (ip: string, isPublic = false) =>
  ({ ip, routeOptions: { config: isPublic ? { public: true } : {} } }) as unknown as FastifyRequest;
const reply = (statusCode: number) => ({ statusCode }) as FastifyReply;

function admit(hook: RefusedRequestLimitHook, req: FastifyRequest): ApiError | undefined {
  let outcome: unknown = 'not called';
  hook.onRequest(req, reply(0), (error?: unknown) => (outcome = error));
  return outcome as ApiError | undefined;
}

describe('RefusedRequestLimitHook', () => {
  it('counts 401 and 403 per address and refuses it with 429 once it reached the limit', () => {
    const hook = new RefusedRequestLimitHook(config);
    const done = jest.fn();
    hook.onResponse(request('10.0.0.1'), reply(401), done);
    hook.onResponse(request('10.0.0.1'), reply(200), done);
    hook.onResponse(request('10.0.0.1'), reply(404), done);
    expect(admit(hook, request('10.0.0.1'))).toBeUndefined();
    hook.onResponse(request('10.0.0.1'), reply(403), done);
    expect(done).toHaveBeenCalledTimes(4);
    const refused = admit(hook, request('10.0.0.1'));
    expect(refused?.getStatus()).toBe(429);
    expect(refused?.code).toBe('RATE_LIMITED');
    expect(refused?.details).toEqual({ retry_after_s: 60 });
    expect(refused?.headers).toEqual({ 'Retry-After': '60' });
    expect(admit(hook, request('10.0.0.2'))).toBeUndefined();
    // routes that need no token (health, metrics) are never refused
    expect(admit(hook, request('10.0.0.1', true))).toBeUndefined();
  });

  it('counts an IPv6 client by its /64', () => {
    const hook = new RefusedRequestLimitHook(config);
    hook.onResponse(request('2001:db8:1:2::1'), reply(401), jest.fn());
    hook.onResponse(request('2001:db8:1:2::ffff'), reply(401), jest.fn());
    expect(admit(hook, request('2001:db8:1:2:aaaa::1'))?.code).toBe('RATE_LIMITED');
    expect(admit(hook, request('2001:db8:1:3::1'))).toBeUndefined();
  });
});
