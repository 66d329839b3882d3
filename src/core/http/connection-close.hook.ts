import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { HttpConfig } from './http.config';
import { LifecycleState } from '../ops/lifecycle';
import { LARGE_RESPONSE_CHARS, writeStallTimeoutMs } from './connection-limits';

/** The request announced a body nobody read to its end (refused before parsing, or cut off). */
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
 * onSend: a large answer gets the short write-stall timeout, so a client that stops reading is
 * reset and frees the page it held. `Connection: close` while shutting down (keep-alive clients
 * move to another pod during the drain) and on a refusal with an unread body (else Node would
 * read and discard the rest, or wait for a body that trickles in forever).
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
