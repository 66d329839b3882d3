import { Counter, Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS, RequestMetrics } from './request-metrics';

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
