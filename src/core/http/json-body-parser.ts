import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../errors/api-error';

/** The request body cap of the contract: anything larger is a 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** JSON text is UTF-8 (RFC 8259): invalid bytes are an error, not silently U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `application/json` only (else 415), at most BODY_LIMIT_BYTES (else 413); empty is no body.
 * Why not Fastify's own parser: docs/architecture.md, "Kept hand-written".
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES },
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
