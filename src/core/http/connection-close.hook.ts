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

/** After a refusal, how long and how much of the unread body is read and discarded before closing. */
export const LINGER_MS = 2_000;
export const LINGER_MAX_BYTES = 4 * 2 ** 20;

/**
 * Lingering close (RFC 9112 section 9.6): once the answer is written, half-close and read what the
 * client still sends, within bounds, then close. Closing at once with unread bytes makes the kernel
 * reset the connection, which discards the answer the client has not read yet.
 */
export function lingerOnClose(raw: IncomingMessage): void {
  const socket = raw.socket;
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    const bound = socket.bytesRead + LINGER_MAX_BYTES;
    raw.on('data', () => socket.bytesRead > bound && socket.destroy());
    raw.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
  };
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
 * read and discard the rest, or wait for a body that trickles in forever), closed lingering.
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
    const refused = reply.statusCode >= 400 && bodyLeftUnread(request.raw);
    if (refused) lingerOnClose(request.raw);
    if (this.lifecycle.isShuttingDown || refused) reply.header('Connection', 'close');
    if (payloadLength(payload) > LARGE_RESPONSE_CHARS) {
      request.raw.socket?.setTimeout(this.stallTimeoutMs);
    }
    done(null, payload);
  };
}
