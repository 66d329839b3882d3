import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { HttpConfig } from './http.config';
import { LifecycleState } from '../ops/lifecycle';
import { LARGE_RESPONSE_CHARS, WRITE_STALL_TIMEOUT_MS } from './connection-limits';

/** The request announced a body nobody read to its end (refused before parsing, or cut off). */
export function bodyLeftUnread(raw: IncomingMessage): boolean {
  const length = raw.headers['content-length'];
  const announced = raw.headers['transfer-encoding'] !== undefined || (length ?? '0') !== '0';
  return announced && !raw.readableEnded;
}

/** After a refusal, how long and how much of the unread body is read and discarded. */
export const LINGER_MS = 2_000;
export const LINGER_MAX_BYTES = 4 * 2 ** 20;

/** Lingering close (RFC 9112 9.6): closing with unread bytes would reset the unread answer. */
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

/**
 * onSend: the write-stall timeout on a large answer; `Connection: close` while draining and on a
 * refusal with an unread body (else Node reads it all, or waits for one that trickles in forever).
 */
@Injectable()
export class ConnectionCloseHook {
  private readonly stallTimeoutMs = Math.min(WRITE_STALL_TIMEOUT_MS, this.env.socketTimeoutMs);

  constructor(
    private readonly lifecycle: LifecycleState,
    private readonly env: HttpConfig,
  ) {}

  readonly onSend = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload: unknown) => void,
  ): void => {
    const refused = reply.statusCode >= 400 && bodyLeftUnread(request.raw);
    if (refused) lingerOnClose(request.raw);
    if (this.lifecycle.isShuttingDown || refused) reply.header('Connection', 'close');
    const length = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload.length : 0;
    if (length > LARGE_RESPONSE_CHARS) request.raw.socket?.setTimeout(this.stallTimeoutMs);
    done(null, payload);
  };
}
