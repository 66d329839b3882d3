import type { FastifyReply, FastifyRequest } from 'fastify';
import { MetricsHook } from './metrics.hook';
import type { MetricsService } from './metrics.service';

describe('MetricsHook', () => {
  const metrics = {
    observe: jest.fn(),
    scrape: jest.fn().mockResolvedValue({ contentType: 'text/plain', body: 'm 1\n' }),
  };
  const hook = new MetricsHook(metrics as unknown as MetricsService);

  it('observes the route template, method, status and elapsed time of each answer', () => {
    const done = jest.fn();
    hook.onResponse(
      { routeOptions: { url: '/api/:user_id/tasks' }, method: 'GET' } as FastifyRequest,
      { statusCode: 200, elapsedTime: 3.5 } as FastifyReply,
      done,
    );
    expect(metrics.observe).toHaveBeenCalledWith('/api/:user_id/tasks', 'GET', 200, 3.5);
    expect(done).toHaveBeenCalledWith();
  });

  it('serves the scrape with its content type', async () => {
    const reply = { header: jest.fn().mockReturnThis(), send: jest.fn().mockReturnThis() };
    await hook.scrape({} as FastifyRequest, reply as unknown as FastifyReply);
    expect(reply.header).toHaveBeenCalledWith('Content-Type', 'text/plain');
    expect(reply.send).toHaveBeenCalledWith('m 1\n');
  });
});
