import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

const MALFORMED = 'Request body is not valid JSON';

/**
 * Makes `application/json` the only body the API accepts (anything else is 415), parsed by
 * Fastify's own secure parser (`__proto__` / `constructor.prototype` keys refused). An empty body
 * is "no body", so `PATCH …/complete` with a JSON content type and nothing in it still toggles.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = body.toString();
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, text, (error, parsed) => {
        if (error)
          done(new ApiError(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', MALFORMED), undefined);
        else done(null, parsed);
      });
    },
  );
}
