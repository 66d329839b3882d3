import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header that carries a request's id, both ways. */
export const REQUEST_ID_HEADER = 'X-Request-Id';
export const REQUEST_ID_MAX_LENGTH = 128;
/** Bounded and boring: what a proxy or a client library would send, nothing a log could choke on. */
export const REQUEST_ID_PATTERN = new RegExp(`^[A-Za-z0-9._:-]{1,${REQUEST_ID_MAX_LENGTH}}$`);

const headerKey = REQUEST_ID_HEADER.toLowerCase();

/** The id of a request (Fastify's genReqId): the client's `X-Request-Id` when sane, else a new UUID. */
export function requestIdFor(req: { headers: IncomingHttpHeaders }): string {
  const sent = req.headers[headerKey];
  return typeof sent === 'string' && REQUEST_ID_PATTERN.test(sent) ? sent : randomUUID();
}
