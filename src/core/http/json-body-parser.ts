import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../errors/api-error';

/** The request body cap of the contract: anything larger is a 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** JSON text is UTF-8 (RFC 8259): invalid bytes are an error, not silently U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `application/json` is the only body accepted (else 415), at most `bodyLimit` (else 413). Ours
 * rather than Fastify's default parser, which decodes leniently (invalid UTF-8 then reads as a
 * Content-Length mismatch) and refuses a `__proto__` key as malformed: JSON.parse makes it an own
 * property, and validation names it as the unknown field it is. An empty body is no body.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  bodyLimit = BODY_LIMIT_BYTES,
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        return done(ERRORS.malformedJson.error('Request body is not valid UTF-8'), undefined);
      }
      if (text.trim() === '') return done(null, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return done(ERRORS.malformedJson.error('Request body is not valid JSON'), undefined);
      }
      done(null, parsed);
    },
  );
}
