import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';
export const REQUEST_ID_MAX_LENGTH = 128;
/** Bounded and boring: what a proxy or a client library would send, nothing a log could choke on. */
export const REQUEST_ID_PATTERN = new RegExp(`^[A-Za-z0-9._:-]{1,${REQUEST_ID_MAX_LENGTH}}$`);

/** The id of a request (Fastify's genReqId): the client's `X-Request-Id` when sane, else a new UUID. */
export function requestIdFor(req: { headers: IncomingHttpHeaders }): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID_PATTERN.test(sent) ? sent : randomUUID();
}

/** Under /docs only: Swagger UI's page has no inline script; it needs https: images and styles. */
export const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' https: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ');

/** helmet's default headers, computed once: they never depend on the request. */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet()({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/** Per-user data stays out of shared and browser caches (contract). */
export const NO_STORE = { 'cache-control': 'no-store' } as const;

/** Where Swagger UI is served (openapi/docs.ts), under a CSP of its own. */
export const DOCS_PATH = '/docs';
const DOCS_URL = new RegExp(`^${DOCS_PATH}([/?#]|$)`);

/** onRequest, first: the request id and the security headers, so every answer carries them. */
@Injectable()
export class ResponseHeadersHook {
  private readonly docsHeaders = { ...helmetHeaders(), 'content-security-policy': DOCS_CSP };
  private readonly headers = { ...helmetHeaders(), ...NO_STORE };

  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    reply.headers(DOCS_URL.test(request.url) ? this.docsHeaders : this.headers);
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  };
}
