import { commaList } from './client-address';
import type { HttpConfig } from './http.config';
import { REQUEST_ID_HEADER } from './response-headers.hook';

/** An origin exactly as a browser sends it: scheme, host and port only, no path or slash. */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
}

/** What CORS_ORIGINS may hold: empty, `*` alone, or a list of origins. */
export function isCorsOrigins(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const origins = commaList(value);
  if (origins.includes('*')) return origins.length === 1;
  return origins.every(isOrigin);
}

/** CORS for browser frontends, from CORS_ORIGINS and CORS_CREDENTIALS; undefined when off. */
export function corsOptions(env: HttpConfig) {
  const origins = commaList(env.CORS_ORIGINS);
  if (origins.length === 0) return undefined;
  return {
    origin: origins.length === 1 && origins[0] === '*' ? '*' : origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      ...'Authorization Content-Type If-Match If-None-Match Idempotency-Key'.split(' '),
      REQUEST_ID_HEADER,
    ],
    exposedHeaders: [
      ...'ETag Idempotent-Replayed Location Link X-Next-Cursor Retry-After'.split(' '),
      REQUEST_ID_HEADER,
      'RateLimit-Policy',
      'RateLimit',
    ],
    credentials: env.CORS_CREDENTIALS,
    maxAge: 600, // seconds a browser may cache a preflight answer
  };
}
