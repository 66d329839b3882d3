import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import type { ErrorCode } from '../common/api-error';
import { ErrorBodyDto } from '../common/error-body.dto';
import { BODY_LIMIT_BYTES } from '../http/json-body-parser';
import { REQUEST_ID_HEADER, REQUEST_ID_MAX_LENGTH, REQUEST_ID_PATTERN } from '../http/request-id';

/**
 * Every response carries these: the request id (the pipeline's first hook) and `no-store` (with
 * the security headers). One object, so no response in the document can leave one out.
 */
export const REQUEST_ID_RESPONSE_HEADER: HeadersObject = {
  [REQUEST_ID_HEADER]: {
    description: `The request id: the one the client sent when it matches ${REQUEST_ID_PATTERN.source}, else a new UUID.`,
    schema: { type: 'string', maxLength: REQUEST_ID_MAX_LENGTH },
  },
  'Cache-Control': {
    description: "Always `no-store`: the answer is one user's data, for no cache to keep.",
    schema: { type: 'string', enum: ['no-store'] },
  },
};

/** On 429 and 503 answers. */
export const RETRY_AFTER_HEADER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
};

const WWW_AUTHENTICATE: HeadersObject = {
  'WWW-Authenticate': {
    description: 'Bearer challenge (RFC 6750), e.g. `Bearer error="invalid_token"`.',
    schema: { type: 'string' },
  },
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid; `details.fields` says what is wrong with each field.',
  401: 'No bearer token, or one that is expired or invalid.',
  403: 'The token is valid but `{user_id}` is not its subject.',
  404: 'No such task for this user (a task of another user is answered the same way).',
  409: 'The user already has as many tasks as the quota allows (TASKS_PER_USER_MAX); nothing was stored.',
  413: `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.`,
  415: 'The request body is not `application/json`.',
  429: 'Too many requests; retry after `Retry-After` seconds.',
  500: 'Unexpected failure; the body never holds a stack, SQL or driver text.',
  503: 'The database cannot be reached; retry after `Retry-After` seconds.',
};

const HEADERS: Record<number, HeadersObject> = {
  401: WWW_AUTHENTICATE,
  429: RETRY_AFTER_HEADER,
  503: RETRY_AFTER_HEADER,
};

export type ErrorResponses = Partial<Record<number, ErrorCode[]>>;

/**
 * Documents error responses: for each status, the `Error` body with `code` narrowed to the codes
 * that status can carry on this route, and the headers that come with it.
 */
export function ApiErrorResponses(responses: ErrorResponses): MethodDecorator & ClassDecorator {
  const decorators = Object.entries(responses).map(([status, codes]) =>
    ApiResponse({
      status: Number(status),
      description: `${DESCRIPTIONS[Number(status)]} Codes: ${codes!.join(', ')}.`,
      headers: { ...REQUEST_ID_RESPONSE_HEADER, ...HEADERS[Number(status)] },
      schema: {
        allOf: [
          { $ref: getSchemaPath(ErrorBodyDto) },
          { type: 'object', properties: { code: { type: 'string', enum: codes } } },
        ],
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorBodyDto), ...decorators);
}

/** What any /api route can answer, whatever it does: authentication, rate limit, failures. */
export const API_ROUTE_ERRORS: ErrorResponses = {
  401: ['UNAUTHORIZED', 'TOKEN_EXPIRED', 'INVALID_TOKEN'],
  403: ['FORBIDDEN'],
  429: ['RATE_LIMITED'],
  500: ['INTERNAL_ERROR'],
  503: ['SERVICE_UNAVAILABLE'],
};

/** A route whose request may carry a body: it is parsed as JSON, capped, and must be JSON. */
export const BODY_ERRORS: ErrorResponses = {
  400: ['VALIDATION_ERROR', 'MALFORMED_JSON'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
};

/** The union of several sets, codes merged per status. */
export function mergeErrors(...sets: ErrorResponses[]): ErrorResponses {
  const merged: ErrorResponses = {};
  for (const set of sets) {
    for (const [status, codes] of Object.entries(set)) {
      const into = (merged[Number(status)] ??= []);
      for (const code of codes!) if (!into.includes(code)) into.push(code);
    }
  }
  return merged;
}
