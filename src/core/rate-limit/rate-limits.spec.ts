import type { FastifyRequest } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import { loadAppConfig } from '../../app.module';
import { RateLimitConfig } from './rate-limit.config';
import { RateLimits } from './rate-limits';

const config = loadAppConfig({
  DATABASE_URL: 'postgres://u@h/db',
  AUTH_JWT_SECRET: 's',
  RATE_LIMIT_REFUSED_LIMIT: '2',
}).get(RateLimitConfig);

const request = (ip: string, headers: Record<string, string> = {}, peer = ip) =>
  ({ ip, headers, socket: { remoteAddress: peer } }) as unknown as FastifyRequest;

describe('RateLimits as the verification budget', () => {
  const setup = () => {
    const logger = { warn: jest.fn() };
    const limit = new RateLimits(config, logger as unknown as PinoLogger);
    return { limit, logger };
  };

  it('spends RATE_LIMIT_REFUSED_LIMIT per address (IPv6 by /64), then answers 429; a refund gives one back', async () => {
    const { limit } = setup();
    await limit.spend(request('2001:db8:1:2::1'));
    const refund = await limit.spend(request('2001:db8:1:2::ffff'));
    await expect(limit.spend(request('2001:db8:1:2:aaaa::1'))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retry_after_s: 60 },
      headers: {
        'Retry-After': '60',
        'RateLimit-Policy': '"verification";q=2;w=60',
        RateLimit: '"verification";r=0;t=60',
      },
    });
    await expect(limit.spend(request('2001:db8:1:3::1'))).resolves.toBeInstanceOf(Function);
    refund();
    refund();
    await expect(limit.spend(request('2001:db8:1:2::1'))).resolves.toBeInstanceOf(Function);
  });

  it('warns once when a peer outside TRUSTED_PROXIES sends X-Forwarded-For', async () => {
    const { limit, logger } = setup();
    await limit.spend(request('10.0.0.1'));
    await limit.spend(request('203.0.113.9', { 'x-forwarded-for': '203.0.113.9' }, '10.0.0.2'));
    expect(logger.warn).not.toHaveBeenCalled();
    await limit.spend(request('10.0.0.3', { 'x-forwarded-for': '198.51.100.1' }));
    await limit.spend(request('10.0.0.4', { 'x-forwarded-for': '198.51.100.1' }));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('TRUSTED_PROXIES'));
  });
});
