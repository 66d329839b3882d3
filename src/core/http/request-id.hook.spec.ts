import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestIdHook } from './request-id.hook';

describe('RequestIdHook', () => {
  it('puts the request id on the reply and goes on', () => {
    const reply = { header: jest.fn() };
    const done = jest.fn();
    new RequestIdHook().onRequest(
      { id: 'req-7' } as FastifyRequest,
      reply as unknown as FastifyReply,
      done,
    );
    expect(reply.header).toHaveBeenCalledWith('X-Request-Id', 'req-7');
    expect(done).toHaveBeenCalledWith();
  });
});
