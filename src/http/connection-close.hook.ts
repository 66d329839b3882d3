import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { LifecycleState } from '../health/lifecycle.state';

/**
 * True when the request announced a body that nobody read to its end: refused before it was
 * parsed (401, 403, 413 by Content-Length, 415), or cut off at the limit.
 */
export function bodyLeftUnread(raw: IncomingMessage): boolean {
  const { headers } = raw;
  const announced =
    headers['transfer-encoding'] !== undefined ||
    (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  return announced && !raw.readableEnded;
}

/**
 * onSend: `Connection: close`, so Node ends the connection once the answer is written, in two
 * cases:
 * - once the process is shutting down, on every response: keep-alive clients (load balancers)
 *   reconnect elsewhere during the drain, and a connection whose request was in flight when the
 *   listener closed does not linger idle and hold the shutdown until its timeout;
 * - on a refusal whose body was not read: to keep the connection, Node would read and discard
 *   the rest of it (200 MB after a 401 in 0.2 s), or wait for a body that trickles in forever.
 *   Closing is what RFC 9110 allows a server that does not want the body. A 2xx costs one
 *   comparison.
 */
@Injectable()
export class ConnectionCloseHook {
  constructor(private readonly lifecycle: LifecycleState) {}

  readonly onSend = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload: unknown) => void,
  ): void => {
    if (this.lifecycle.isShuttingDown || (reply.statusCode >= 400 && bodyLeftUnread(request.raw))) {
      reply.header('Connection', 'close');
    }
    done(null, payload);
  };
}
