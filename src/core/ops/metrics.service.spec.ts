import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SqlExecutor } from '../database/sql-executor';
import { sample } from '../../../test/support/prometheus';
import { MetricsService } from './metrics.service';

const pool = { total: 3, idle: 2, waiting: 1, max: 10 };
const metrics = () => new MetricsService({ poolStats: () => pool } as unknown as SqlExecutor);

/** Runs the onResponse hook for one answer; `url` undefined when no route matched. */
function answer(
  service: MetricsService,
  url: string | undefined,
  method: string,
  status: number,
  ms: number,
) {
  const done = jest.fn();
  service.onResponse(
    { routeOptions: { url }, method } as FastifyRequest,
    { statusCode: status, elapsedTime: ms } as FastifyReply,
    done,
  );
  expect(done).toHaveBeenCalledWith();
}

/** The scrape as the `/metrics` route serves it. */
async function scrape(service: MetricsService): Promise<{ contentType: string; body: string }> {
  const reply = { header: jest.fn().mockReturnThis(), send: jest.fn().mockReturnThis() };
  await service.scrape({} as FastifyRequest, reply as unknown as FastifyReply);
  const [[name, contentType]] = reply.header.mock.calls as string[][];
  expect(name).toBe('Content-Type');
  return { contentType, body: (reply.send.mock.calls as string[][])[0][0] };
}

describe('MetricsService', () => {
  it('counts answers by route template, method and status, with durations in seconds', async () => {
    const service = metrics();
    answer(service, '/api/:user_id/tasks', 'GET', 200, 3);
    answer(service, '/api/:user_id/tasks', 'GET', 200, 7);
    answer(service, '/api/:user_id/tasks', 'POST', 201, 12_000);
    answer(service, undefined, 'GET', 404, 1);
    const { contentType, body } = await scrape(service);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const list = { route: '/api/:user_id/tasks', method: 'GET', status: '200' };
    expect(sample(body, 'http_requests_total', list)).toBe(2);
    expect(sample(body, 'http_request_duration_seconds_count', list)).toBe(2);
    expect(sample(body, 'http_request_duration_seconds_sum', list)).toBeCloseTo(0.01);
    expect(sample(body, 'http_request_duration_seconds_bucket', { ...list, le: '0.005' })).toBe(1);
    expect(sample(body, 'http_request_duration_seconds_bucket', { ...list, le: '0.01' })).toBe(2);
    const create = { route: '/api/:user_id/tasks', method: 'POST', status: '201' };
    expect(sample(body, 'http_request_duration_seconds_bucket', { ...create, le: '10' })).toBe(0);
    expect(sample(body, 'http_request_duration_seconds_bucket', { ...create, le: '+Inf' })).toBe(1);
    const unmatched = { route: 'unmatched', method: 'GET', status: '404' };
    expect(sample(body, 'http_requests_total', unmatched)).toBe(1);
  });

  it('exposes the pool, and no request samples before the first answer', async () => {
    const { body } = await scrape(metrics());
    expect(body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(body).toContain('# TYPE http_requests_total counter');
    expect(body).not.toMatch(/^http_/m);
    expect(sample(body, 'db_pool_connections', { state: 'in_use' })).toBe(1);
    expect(sample(body, 'db_pool_connections', { state: 'idle' })).toBe(2);
    expect(sample(body, 'db_pool_waiting')).toBe(1);
    expect(sample(body, 'db_pool_max')).toBe(10);
  });
});
