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
 * Fastify's own secure parser (`__proto__` / `constructor.prototype` keys refused). An empty body
 * is "no body", so `PATCH …/complete` with a JSON content type and nothing in it still toggles.
 * Fastify parses after the onRequest hooks, so only an authenticated request's body is read.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  bodyLimit = BODY_LIMIT_BYTES,
): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    // As a buffer: with 'string', Fastify decodes leniently and then reports invalid UTF-8 as a
    // Content-Length mismatch.
    { parseAs: 'buffer', bodyLimit },
    (request, body, done) => {
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
      // Fastify's default parser answers through the callback; its type also allows the promise
      // form, which it never takes, so there is no promise to await.
      void parseJson(request, text, (error, parsed) => {
        if (error)
          done(new ApiError(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', MALFORMED), undefined);
        else done(null, parsed);
      });
    },
  );
}
