import type { FastifyReply, FastifyRequest } from 'fastify';
import { LifecycleState } from '../health/lifecycle.state';
import { ConnectionCloseHook } from './connection-close.hook';

describe('ConnectionCloseHook', () => {
  const run = (hook: ConnectionCloseHook) => {
    const reply = { header: jest.fn() };
    const done = jest.fn();
    hook.onSend({} as FastifyRequest, reply as unknown as FastifyReply, 'body', done);
    return { reply, done };
  };

  it('leaves the connection alone while serving, closes it once shutting down', () => {
    const lifecycle = new LifecycleState();
    const hook = new ConnectionCloseHook(lifecycle);
    const serving = run(hook);
    expect(serving.reply.header).not.toHaveBeenCalled();
    expect(serving.done).toHaveBeenCalledWith(null, 'body');
    lifecycle.markShuttingDown();
    const draining = run(hook);
    expect(draining.reply.header).toHaveBeenCalledWith('Connection', 'close');
    expect(draining.done).toHaveBeenCalledWith(null, 'body');
  });
});
