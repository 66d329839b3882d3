import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseCorsOrigins } from '../config/http-url.validator';
import type { Environment } from '../config/environment';

/** Where interactive API docs (Swagger UI) are served; they get DOCS_CSP instead of the default. */
export const DOCS_PATH = '/docs';

/**
 * The policy under /docs. Swagger UI's page (src/openapi) has no inline script, so scripts stay
 * 'self' only; what it relaxes is images from https: (Swagger UI's validator badge) and nothing
 * else. Everything outside /docs keeps helmet's default policy.
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

export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = [
  'Location',
  'Link',
  'X-Next-Cursor',
  'X-Request-Id',
  'Retry-After',
];
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_S = 600;

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
 * Security headers on every response (helmet defaults, CSP relaxed only under /docs) and, when
 * CORS_ORIGINS is set, CORS for browser frontends. Call before the app is initialised.
 */
export function applySecurity(app: NestFastifyApplication, env: Environment): void {
  const headers = helmetHeaders();
  const docsHeaders = { ...headers, 'content-security-policy': DOCS_CSP };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.headers(isDocsUrl(request.url) ? docsHeaders : headers);
      done();
    });

  const origins = parseCorsOrigins(env.CORS_ORIGINS);
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins.length === 1 && origins[0] === '*' ? '*' : origins,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: env.CORS_CREDENTIALS,
    maxAge: CORS_MAX_AGE_S,
  });
}
