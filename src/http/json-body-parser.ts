import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../common/api-error';

/** The request body cap of the contract: anything larger is a 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const MALFORMED = 'Request body is not valid JSON';
const NOT_UTF8 = 'Request body is not valid UTF-8';
/** JSON text is UTF-8 (RFC 8259); invalid bytes are an error, not silently U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Makes `application/json` the only body the API accepts (anything else is 415), parsed by
 * `JSON.parse`. A `__proto__` key is valid JSON, and JSON.parse makes it an own property (it never
 * sets the prototype), as it does `constructor`; the body rules then refuse either as an unknown
 * field, by name (400 VALIDATION_ERROR, as the contract says), where Fastify's secure parser threw
 * and the answer was MALFORMED_JSON. No body is merged into another object anywhere: the body
 * pipe copies only its checked fields. An empty body is "no body", so `PATCH …/complete` with a
 * JSON content type and nothing in it still toggles. Fastify parses after the onRequest hooks, so
 * only an authenticated request's body is read.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  bodyLimit = BODY_LIMIT_BYTES,
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    // As a buffer: with 'string', Fastify decodes leniently and then reports invalid UTF-8 as a
    // Content-Length mismatch.
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        done(new ApiError(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', NOT_UTF8), undefined);
        return;
      }
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        done(new ApiError(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', MALFORMED), undefined);
        return;
      }
      done(null, parsed);
    },
  );
}
