import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LifecycleState } from '../health/lifecycle.state';

/**
 * onSend: once the process is shutting down, every response closes its connection. Keep-alive
 * clients (load balancers) reconnect elsewhere during the drain, and a connection whose request
 * was in flight when the listener closed does not linger idle and hold the shutdown until its
 * timeout.
 */
@Injectable()
export class ConnectionCloseHook {
  constructor(private readonly lifecycle: LifecycleState) {}

  readonly onSend = (
    _request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload: unknown) => void,
  ): void => {
    if (this.lifecycle.isShuttingDown) reply.header('Connection', 'close');
    done(null, payload);
  };
}
