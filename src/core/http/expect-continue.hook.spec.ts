import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { ExpectContinueHook } from './expect-continue.hook';

describe('ExpectContinueHook', () => {
  const hook = new ExpectContinueHook();

  it('serves a request that expects 100-continue as any other, without answering 100', () => {
    const server = new EventEmitter();
    const served = jest.fn();
    server.on('request', served);
    hook.deferContinue(server as unknown as Server);
    const [req, res] = [{}, { writeContinue: jest.fn() }];
    server.emit('checkContinue', req, res);
    expect(served).toHaveBeenCalledWith(req, res);
    expect(res.writeContinue).not.toHaveBeenCalled();
  });

  it('sends the 100 when the body is about to be read, once, and only if expected', () => {
    const run = (headers: Record<string, string>, headersSent = false) => {
      const raw = { writeContinue: jest.fn(), headersSent };
      const done = jest.fn();
      const payload = {};
      void hook.preParsing.call(
        undefined as never,
        { headers } as FastifyRequest,
        { raw } as unknown as FastifyReply,
        payload as never,
        done,
      );
      expect(done).toHaveBeenCalledWith(null, payload);
      return raw.writeContinue;
    };
    expect(run({ expect: '100-continue' })).toHaveBeenCalledTimes(1);
    expect(run({})).not.toHaveBeenCalled();
    expect(run({ expect: '100-continue' }, true)).not.toHaveBeenCalled();
  });

  it('is attached to the routes that read a body, after their own preParsing', () => {
    const own = jest.fn();
    const post = { method: 'POST', preParsing: own } as unknown as RouteOptions;
    const both = { method: ['GET', 'PUT'] } as unknown as RouteOptions;
    const get = { method: 'GET' } as unknown as RouteOptions;
    for (const route of [post, both, get]) hook.onRoute(route);
    expect(post.preParsing).toEqual([own, hook.preParsing]);
    expect(both.preParsing).toEqual([hook.preParsing]);
    expect(get.preParsing).toBeUndefined();
  });
});
