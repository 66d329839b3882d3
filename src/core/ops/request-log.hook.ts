import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Level } from 'pino';
import { CLIENT_CLOSED_REQUEST } from '../errors/error-response';

/** Paths whose successful requests are not logged: probes every few seconds are noise. */
const QUIET_WHEN_OK = /^\/(health|metrics)(\/|\?|$)/;

/** An allowlist, not secrets to mask: a credential in a header nobody thought of never logs. */
const LOGGED_HEADERS = [
  'user-agent',
  'referer',
  'origin',
  'content-type',
  'content-length',
  'x-forwarded-for',
] as const;

// Bounds, so that an unauthenticated client cannot write kilobytes of log per 401.
export const MAX_LOGGED_URL = 512;
export const MAX_LOGGED_HEADER = 256;
/** A trusted proxy's `X-Forwarded-For` address is whatever text that proxy passed on. */
const MAX_LOGGED_ADDRESS = 64;

/** Node's URL and header strings hold one character per byte received: the count is in bytes. */
export function truncated(value: string, max: number): string {
  return value.length <= max
    ? value
    : `${value.slice(0, max)}…[truncated ${value.length - max} bytes]`;
}

export function loggableHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = truncated(Array.isArray(value) ? value.join(', ') : value, MAX_LOGGED_HEADER);
  }
  return out;
}

/** error for 5xx, warn for 4xx, info otherwise; undefined for a successful probe or scrape. */
export function requestLogLevel(url: string, status: number): Level | undefined {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return QUIET_WHEN_OK.test(url) ? undefined : 'info';
}

/**
 * onResponse: the access log, one bounded line per answered request. A Fastify hook: pino-http
 * as Nest middleware would run @fastify/middie and an AsyncLocalStorage on every request.
 */
@Injectable()
export class RequestLogHook {
  constructor(@InjectPinoLogger() private readonly logger: PinoLogger) {}

  readonly onResponse = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const level = requestLogLevel(request.url, reply.statusCode);
    // The level is checked before the line is built.
    const pino = this.logger.logger;
    if (level !== undefined && pino.isLevelEnabled(level)) {
      const aborted = reply.statusCode === CLIENT_CLOSED_REQUEST;
      pino[level](requestLine(request, reply), aborted ? 'client aborted' : 'request completed');
    }
    done();
  };
}

function requestLine(request: FastifyRequest, reply: FastifyReply) {
  return {
    req: {
      id: request.id,
      // The client's own `X-Request-Id`: an id it chose, not one we vouch for.
      ...(request.headers['x-request-id'] === request.id && { idFromClient: true }),
      method: request.method,
      url: truncated(request.url, MAX_LOGGED_URL),
      headers: loggableHeaders(request.headers),
      remoteAddress: truncated(request.ip, MAX_LOGGED_ADDRESS),
    },
    res: { statusCode: reply.statusCode },
    responseTime: Math.round(reply.elapsedTime * 100) / 100,
  };
}
