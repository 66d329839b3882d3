import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse, type HeadersObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ERRORS } from '../errors/api-error';
import { ApiErrors, COMMON_RESPONSE_HEADERS } from '../openapi/error-responses';
import { HttpConfig } from './http.config';

const VERSION_FIELD = 'conditional:version';
const WRITES = new Set(['PUT', 'PATCH', 'DELETE']);
const TAG = /^"([0-9a-z]{1,12})"$/;

/** The strong ETag of a row version (a timestamp with milliseconds). */
export function etagOf(version: string): string {
  return `"${Date.parse(version).toString(36)}"`;
}

/**
 * The versions an `If-Match` accepts (strong comparison, so weak and foreign tags match nothing);
 * undefined for `*`, any existing row.
 */
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

/**
 * A controller whose rows carry `field` as their version: answers with one row get its ETag, a
 * GET whose `If-None-Match` matches (a page's ETag included) is 304, and a write's `If-Match`
 * rides on the owner to the repository, which compares it in the write's own statement.
 */
export const Conditional = (field: string): ClassDecorator => SetMetadata(VERSION_FIELD, field);

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

@Injectable()
export class ConditionalInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: HttpConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const field = this.reflector.get<string | undefined>(VERSION_FIELD, context.getClass());
    if (!field) return next.handle();
    const request = context.getArgByIndex<FastifyRequest>(0);
    const reply = context.getArgByIndex<FastifyReply>(1);
    const ifMatch = request.headers['if-match'];
    if (WRITES.has(request.method) && request.user) {
      if (ifMatch !== undefined) {
        request.user = {
          ...request.user,
          ifMatch: ifMatchVersions(ifMatch),
        } as typeof request.user;
      } else if (this.config.REQUIRE_IF_MATCH) {
        throw ERRORS.preconditionRequired.error(
          'If-Match is required: send the ETag from when you last read it',
        );
      }
    }
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as Record<string, unknown> | undefined)?.[field];
        if (typeof version === 'string') reply.header('ETag', etagOf(version));
        const etag = reply.getHeader('etag');
        if (request.method !== 'GET' || typeof etag !== 'string') return body;
        if (!noneMatch(request.headers['if-none-match'], etag)) return body;
        reply.code(304);
        return undefined;
      }),
    );
  }
}
