import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DOCS_PATH } from '../openapi/docs';

/**
 * The policy under /docs. Swagger UI's page (src/openapi/docs.ts) has no inline script, so
 * scripts stay 'self' only; what it relaxes is images from https: (Swagger UI's validator badge)
 * and nothing else. Everything outside /docs keeps helmet's default policy.
 */
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

function isDocsUrl(url: string): boolean {
  return (
    url.startsWith(DOCS_PATH) &&
    (url.length === DOCS_PATH.length || '/?#'.includes(url[DOCS_PATH.length]))
  );
}

/**
 * helmet's default headers, computed once. Its middleware would rebuild the same fixed set (CSP
 * directives parsed again) on every request; the values never depend on the request.
 */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet()({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * Per-user data must not sit in a shared or browser cache (contract: `Cache-Control: no-store`).
 * Set with the fixed security headers, so it costs no work of its own on a request; under /docs,
 * docs.ts says how its static files may be cached.
 */
export const NO_STORE = { 'cache-control': 'no-store' } as const;

/**
 * onRequest: helmet's security headers and `Cache-Control: no-store` on every response, the CSP
 * relaxed only under /docs.
 */
@Injectable()
export class SecurityHeadersHook {
  private readonly docsHeaders = { ...helmetHeaders(), 'content-security-policy': DOCS_CSP };
  private readonly headers = { ...helmetHeaders(), ...NO_STORE };

  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    reply.headers(isDocsUrl(request.url) ? this.docsHeaders : this.headers);
    done();
  };
}
