import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERRORS } from '../errors/api-error';
import {
  CLIENT_CLOSED_REQUEST,
  clientAborted,
  errorBody,
  type ErrorResponse,
  toErrorResponse,
} from '../errors/error-response';
import { helmetHeaders, NO_STORE, REQUEST_ID_HEADER } from './response-headers.hook';

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/** The pipeline's header-only onRequest hooks and its onResponse hooks (log line, metrics). */
type ServerErrorHooks = Record<'onRequest' | 'onResponse', Hook[]>;

const hooksOf = new WeakMap<FastifyInstance, ServerErrorHooks>();
const noop = () => undefined;

/**
 * Called by installPipeline: the router's errors then get the same headers, line and count; a
 * client that hung up mid-body gets no answer, so no onResponse: its line and count, as 499.
 */
export function runOnServerErrors(fastify: FastifyInstance, hooks: ServerErrorHooks): void {
  hooksOf.set(fastify, hooks);
  fastify.addHook('onError', function recordClientAbort(request, reply, error, done) {
    if (clientAborted(error)) {
      void reply.code(CLIENT_CLOSED_REQUEST);
      for (const hook of hooks.onResponse) hook(request, reply, noop);
    }
    done();
  });
}

function refusal(status: number, message: string): ErrorResponse {
  return { status, code: ERRORS.validation.code, message, details: {} };
}

// The path is never echoed: it is what the client got wrong, and may be 8 KB of anything.
const ROUTER_ANSWERS: Record<string, ErrorResponse> = {
  FST_ERR_BAD_URL: refusal(400, 'The URL is not validly encoded'),
  FST_ERR_MAX_PARAM_LENGTH: refusal(414, 'A path segment is too long'),
};

/** Fastify's `frameworkErrors`: the router's refusals reach no route, so the hooks run here. */
export function answerRouterError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const hooks = hooksOf.get(request.server);
  for (const hook of hooks?.onRequest ?? []) hook(request, reply, noop);
  reply.raw.once('finish', () => {
    for (const hook of hooks?.onResponse ?? []) hook(request, reply, noop);
  });
  const answer = ROUTER_ANSWERS[error.code] ?? toErrorResponse(error); // any other: a 500
  void reply
    .code(answer.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(answer, String(request.id)));
}

/** 405 with `Allow` where the router says 404 but the path is a route's under other methods. */
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

/** The fixed headers of an answer written straight to the socket: no request, no reply. */
const RAW_HEADERS = Object.entries({ ...helmetHeaders(), ...NO_STORE })
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/** Fastify's `clientErrorHandler`: no request exists, so the answer is written to the socket. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) return void socket.destroy();
  const requestId = randomUUID();
  const answer =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? refusal(431, 'The request headers are too large')
      : refusal(400, 'The request is not valid HTTP');
  const body = JSON.stringify(errorBody(answer, requestId));
  socket.end(
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\n${RAW_HEADERS}` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.destroySoon();
}
