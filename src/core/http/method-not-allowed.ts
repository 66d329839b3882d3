import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../errors/api-error';

/**
 * 405 with `Allow` (RFC 9110 15.5.6) where the router alone says 404: the path is a route's, the
 * method is not. Each route's path is kept as a pattern when it is registered; only a request that
 * matched no route is tested against them.
 */
export function answerWrongMethods(fastify: FastifyInstance): void {
  const paths = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  fastify.addHook('onRoute', function recordPath(route) {
    const literal = route.url.replace(/[.*+?^${}()[\]\\]/g, '\\$&');
    const source = `^${literal.replace(/:[^/]+/g, '[^/]+')}/?$`;
    const known = paths.get(source) ?? { pattern: new RegExp(source), methods: new Set() };
    for (const method of [route.method].flat()) known.methods.add(method);
    paths.set(source, known);
  });
  fastify.addHook('onRequest', function answerWrongMethod(request, _reply, done) {
    if (!request.is404) return done();
    const path = request.url.split('?', 1)[0];
    const allowed = new Set<string>();
    for (const { pattern, methods } of paths.values())
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = [...allowed].sort().join(', ');
    const message = `${request.method} is not allowed here; allowed: ${allow}`;
    done(ERRORS.methodNotAllowed.error(message, {}, { Allow: allow }));
  });
}
