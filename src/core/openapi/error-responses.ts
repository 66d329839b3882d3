import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import { ERRORS, type ErrorDef } from '../errors/api-error';
import { ErrorBodyDto } from '../errors/error-body.dto';
import {
  REQUEST_ID_HEADER,
  REQUEST_ID_MAX_LENGTH,
  REQUEST_ID_PATTERN,
} from '../http/response-headers.hook';

/** Every response carries these: the request id and `no-store`. */
export const COMMON_RESPONSE_HEADERS: HeadersObject = {
  [REQUEST_ID_HEADER]: {
    description: `The request id: the one the client sent when it matches ${REQUEST_ID_PATTERN.source}, else a new UUID.`,
    schema: { type: 'string', maxLength: REQUEST_ID_MAX_LENGTH },
  },
  'Cache-Control': {
    description: "Always `no-store`: the answer is one user's data, for no cache to keep.",
    schema: { type: 'string', enum: ['no-store'] },
  },
};

const STRING = { type: 'string' } as const;

/** Headers an error definition may name (RateLimit*: draft-ietf-httpapi-ratelimit-headers). */
export const ERROR_HEADERS: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  'RateLimit-Policy': { description: 'The limit, e.g. `"default";q=600;w=60`.', schema: STRING },
  RateLimit: { description: 'What is left, e.g. `"default";r=0;t=42` (t: s).', schema: STRING },
  'WWW-Authenticate': {
    description: 'Bearer challenge (RFC 6750), e.g. `Bearer error="invalid_token"`.',
    schema: { type: 'string' },
  },
};

/**
 * Documents the errors a route (or every route of a controller) answers with: per status, the
 * `Error` body with `code` narrowed to the definitions' codes, their meanings, their headers.
 */
export function ApiErrors(...defs: ErrorDef[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorDef[]>();
  for (const def of defs) byStatus.set(def.status, [...(byStatus.get(def.status) ?? []), def]);
  const responses = [...byStatus].map(([status, group]) => {
    const headers = { ...COMMON_RESPONSE_HEADERS };
    for (const name of group.flatMap((def) => def.headers)) headers[name] = ERROR_HEADERS[name];
    return ApiResponse({
      status,
      description: group.map((def) => `${def.code}: ${def.description}`).join(' '),
      headers,
      schema: {
        allOf: [
          { $ref: getSchemaPath(ErrorBodyDto) },
          {
            type: 'object',
            properties: { code: { type: 'string', enum: [...new Set(group.map((d) => d.code))] } },
          },
        ],
      },
    });
  });
  return applyDecorators(ApiExtraModels(ErrorBodyDto), ...responses);
}

/** What any authenticated route can answer, whatever it does. */
export const AUTHENTICATED_ROUTE_ERRORS = [
  ERRORS.unauthorized,
  ERRORS.tokenExpired,
  ERRORS.invalidToken,
  ERRORS.forbidden,
  ERRORS.rateLimited,
  ERRORS.internal,
  ERRORS.unavailable,
];

/** What a route that reads a JSON body can answer about it. */
export const BODY_ERRORS = [
  ERRORS.validation,
  ERRORS.malformedJson,
  ERRORS.payloadTooLarge,
  ERRORS.unsupportedMediaType,
];
