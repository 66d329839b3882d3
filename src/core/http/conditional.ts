import { applyDecorators, Injectable } from '@nestjs/common';
import { ApiHeader, ApiResponse, type HeadersObject } from '@nestjs/swagger';
import type {
  onSendHookHandler,
  preHandlerHookHandler,
  preSerializationHookHandler,
  RouteOptions,
} from 'fastify';
import { ERRORS } from '../errors/api-error';
import { ApiErrors, COMMON_RESPONSE_HEADERS } from '../openapi/error-responses';
import { HttpConfig } from './http.config';
import { addRouteHook, WithRouteConfig } from './route-config';

const WRITES = new Set(['PUT', 'PATCH', 'DELETE']);
const TAG = /^"([0-9a-z]{1,12})"$/;

/** The strong ETag of a row version (a timestamp with milliseconds). */
export function etagOf(version: string): string {
  return `"${Date.parse(version).toString(36)}"`;
}

/** The versions an `If-Match` accepts (strong comparison); undefined for `*`, any existing row. */
export function ifMatchVersions(header: string): string[] | undefined {
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return undefined;
  return tags.flatMap((tag) => {
    const ms = TAG.exec(tag) && parseInt(tag.slice(1, -1), 36);
    return ms && ms <= 8.64e15 ? [new Date(ms).toISOString()] : [];
  });
}

/** `If-None-Match` against the current tag, by weak comparison (RFC 9110 13.1.2). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

export const ETAG_HEADER: HeadersObject = {
  ETag: {
    description: 'The version of what is sent; changes with every change of it.',
    schema: { type: 'string' },
  },
};

/** A controller whose rows carry `field` as their version (ETag, 304, If-Match): see the hook. */
export const Conditional = (field: string): ClassDecorator => WithRouteConfig({ version: field });

/** Documents `If-Match` on a write of a `@Conditional` controller. */
export const IfMatch = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The `ETag`(s) the client last read, or `*`; 412 when none is current.',
    }),
    ApiErrors(ERRORS.preconditionFailed, ERRORS.preconditionRequired),
  );

/** Documents `If-None-Match` on a read of a `@Conditional` controller. */
export const IfNoneMatch = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The `ETag` the client holds: 304 without a body while it is current.',
    }),
    ApiResponse({
      status: 304,
      description: 'Not modified.',
      headers: { ...COMMON_RESPONSE_HEADERS, ...ETAG_HEADER },
    }),
  );

/** Fastify route hooks for the routes of a `@Conditional` controller. */
@Injectable()
export class ConditionalHook {
  constructor(private readonly config: HttpConfig) {}

  readonly onRoute = (route: RouteOptions): void => {
    const field = route.config?.version;
    if (field === undefined) return;
    const methods = [route.method].flat();
    if (methods.some((method) => WRITES.has(method)))
      addRouteHook(route, 'preHandler', this.ifMatch);
    addRouteHook(route, 'preSerialization', tagWith(field));
    if (methods.includes('GET')) addRouteHook(route, 'onSend', notModified);
  };

  /** A write's `If-Match`, for the repository; 428 without one when REQUIRE_IF_MATCH is on. */
  readonly ifMatch: preHandlerHookHandler = (request, _reply, done) => {
    const header = request.headers['if-match'];
    if (!request.user || !WRITES.has(request.method)) return done();
    if (header !== undefined) {
      request.user = { ...request.user, ifMatch: ifMatchVersions(header) } as typeof request.user;
    } else if (this.config.REQUIRE_IF_MATCH) {
      const message = 'If-Match is required: send the ETag from when you last read it';
      return done(ERRORS.preconditionRequired.error(message));
    }
    done();
  };
}

/** The ETag of an answer whose body has the version `field` (a page sets its own). */
function tagWith(field: string): preSerializationHookHandler<unknown> {
  return (_request, reply, payload, done) => {
    const version = (payload as Record<string, unknown> | null)?.[field];
    if (typeof version === 'string' && reply.statusCode < 300) {
      void reply.header('ETag', etagOf(version));
    }
    done(null, payload);
  };
}

/** 304 without a body for a GET whose `If-None-Match` holds the answer's ETag. */
const notModified: onSendHookHandler = (request, reply, payload, done) => {
  const etag = reply.getHeader('etag');
  if (reply.statusCode !== 200 || typeof etag !== 'string') return done(null, payload);
  if (!noneMatch(request.headers['if-none-match'], etag)) return done(null, payload);
  void reply.code(304);
  done(null, null);
};
