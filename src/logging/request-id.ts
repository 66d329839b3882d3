import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
/** Bounded and boring: what a proxy or a client library would send, nothing a log could choke on. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The id of a request: the client's `X-Request-Id` when it is sane, else a new UUID. Fastify and
 * the request logger both ask, so it is decided once per raw request and remembered.
 */
export function requestIdFor(req: IncomingMessage): string {
  let id = assigned.get(req);
  if (id === undefined) {
    const sent = req.headers[REQUEST_ID_HEADER];
    id = typeof sent === 'string' && SANE_REQUEST_ID.test(sent) ? sent : randomUUID();
    assigned.set(req, id);
  }
  return id;
}
