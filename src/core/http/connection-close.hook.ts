import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { HttpConfig } from './http.config';
import { LifecycleState } from '../ops/lifecycle.state';
import { LARGE_RESPONSE_CHARS, writeStallTimeoutMs } from './connection-limits';

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

/** The length of a payload as onSend sees it (a string or a buffer; a stream counts as 0). */
function payloadLength(payload: unknown): number {
  if (typeof payload === 'string') return payload.length;
  return Buffer.isBuffer(payload) ? payload.length : 0;
}

/**
 * onSend: what happens to the connection once the answer goes out.
 *
 * A large answer (over LARGE_RESPONSE_CHARS) gets the short write-stall timeout on its socket
 * instead of the socket timeout: its client has to read for it to be written, and one that stops
 * reading is reset within two stall periods (connection-limits.ts), which frees the page it
 * held, instead of two socket timeouts (26 s, long enough for 43 such clients to fill a 512 MiB
 * pod). Node puts the socket timeout back at the next request. A small answer costs one compare.
 *
 * `Connection: close`, so Node ends the connection once the answer is written, in two cases:
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
  private readonly stallTimeoutMs: number;

  constructor(
    private readonly lifecycle: LifecycleState,
    env: HttpConfig,
  ) {
    this.stallTimeoutMs = writeStallTimeoutMs(env);
  }

  readonly onSend = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload: unknown) => void,
  ): void => {
    if (this.lifecycle.isShuttingDown || (reply.statusCode >= 400 && bodyLeftUnread(request.raw))) {
      reply.header('Connection', 'close');
    }
    if (payloadLength(payload) > LARGE_RESPONSE_CHARS) {
      request.raw.socket?.setTimeout(this.stallTimeoutMs);
    }
    done(null, payload);
  };
}
