import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import type { SqlExecutor } from '../database/sql-executor';
import { sample } from '../../../test/support/prometheus';
import { DURATION_BUCKETS, MetricsService, RequestMetrics } from './metrics.service';

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

/** Observations: route, method, status, seconds. Bounds exactly, between, above all, unmatched. */
const OBSERVATIONS: Array<[string | undefined, string, number, number]> = [
  ['/api/:user_id/tasks', 'GET', 200, 0.003],
  ['/api/:user_id/tasks', 'GET', 200, 0.005],
  ['/api/:user_id/tasks', 'GET', 200, 0.0051],
  ['/api/:user_id/tasks', 'POST', 201, 0.25],
  ['/api/:user_id/tasks', 'GET', 400, 12],
  ['/api/:user_id/tasks/:task_id', 'PUT', 200, 1],
  [undefined, 'GET', 404, 0.001],
];

describe('RequestMetrics', () => {
  it("exposes the same text as prom-client's Counter and Histogram fed the same requests", async () => {
    const ours = new Registry();
    const metrics = new RequestMetrics();
    for (const metric of metrics.metrics()) ours.registerMetric(metric);

    const reference = new Registry();
    const labelNames = ['route', 'method', 'status'];
    const count = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template, method and status',
      labelNames,
      registers: [reference],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by route template, method and status',
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [reference],
    });

    for (const [route, method, status, seconds] of OBSERVATIONS) {
      metrics.observe(route, method, status, seconds);
      const labels = { route: route ?? 'unmatched', method, status: String(status) };
      count.inc(labels);
      duration.observe(labels, seconds);
    }
    expect(await ours.metrics()).toBe(await reference.metrics());
    expect(await ours.metrics()).toContain(
      'http_requests_total{route="/api/:user_id/tasks",method="GET",status="200"} 3',
    );
  });

  it('exposes no samples before the first request', async () => {
    const registry = new Registry();
    for (const metric of new RequestMetrics().metrics()) registry.registerMetric(metric);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).not.toMatch(/^http_/m);
  });
});
