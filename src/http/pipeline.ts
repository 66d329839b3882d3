import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthenticationHook } from '../auth/authentication.hook';
import { PUBLIC_ROUTE } from '../auth/public.decorator';
import { type Environment, metricsPort } from '../config/environment';
import { RequestLogHook } from '../logging/request-log.hook';
import { MetricsHook } from '../metrics/metrics.hook';
import { METRICS_PATH } from '../metrics/metrics.server';
import { serveDocs } from '../openapi/docs';
import { buildOpenApiDocument } from '../openapi/openapi';
import { USER_ID_MAX_LENGTH } from '../common/user-id';
import { ConnectionCloseHook } from './connection-close.hook';
import { holdConnections, connectionTimeouts } from './connection-limits';
import { ExpectContinueHook } from './expect-continue.hook';
import { corsOptions } from './cors';
import { BODY_LIMIT_BYTES, registerJsonBodyParser } from './json-body-parser';
import { RequestIdHook } from './request-id.hook';
import { requestIdFor } from './request-id';
import { SecurityHeadersHook } from './security-headers.hook';
import { RefusedRequestLimitHook } from '../rate-limit/refused-request-limit.hook';
import { trustProxyOption } from './client-address';
import { answerClientError, answerRouterError, runOnServerErrors } from './server-errors';

/**
 * The longest path parameter the router takes (else 414): a user id of the contract's 255
 * characters, each an astral code point percent-encoded as 12 (`%F0%9F%98%80`).
 */
export const MAX_PARAM_LENGTH = USER_ID_MAX_LENGTH * 12;

/**
 * The Fastify server the pipeline runs on. Without `skipMiddie`: Nest registers @fastify/middie,
 * so a Nest middleware added later works (with `skipMiddie` it failed at startup). With no
 * middleware mounted, middie's one onRequest hook only calls next(); callgrind showed no cost
 * beyond its run-to-run spread.
 */
export function serverOptions(env: Environment) {
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    // A request that arrives on a kept-alive connection while the listener closes gets a 503.
    return503OnClosing: true,
    // Every phase of a connection has its bound (headers, whole request, silence, idle).
    ...connectionTimeouts(env),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // What the router and Node's parser refuse is answered in the contract's body too.
    frameworkErrors: answerRouterError,
    clientErrorHandler: answerClientError,
    // `request.ip` is the client behind the ingress, and only when the peer is one of
    // TRUSTED_PROXIES (src/http/client-address.ts): no one else can choose it.
    trustProxy: trustProxyOption(env.TRUSTED_PROXIES),
  };
}

/**
 * The request pipeline, in the order a request meets it: every Fastify hook and raw route of the
 * app is declared here and nowhere else. Each hook is a provider of the module it belongs to,
 * with its own unit spec. Nest's own part (guards, pipes, the controller, the exceptions filter)
 * runs inside Fastify's route handler, between the body parser and onSend:
 *
 *   router (route and params) → onRequest hooks → body parser → guards (rate limiter) → pipes
 *   (body rules, UUIDs) → controller → service → repository → SQL → onSend → onResponse
 *
 * An error anywhere (a hook's `done(error)` included) goes to the exceptions filter, which renders
 * the contract's body; the hooks that already ran have set their headers on the reply.
 * Call before `app.init()`: Nest registers the controllers' routes then, and the authentication
 * below must see each of them.
 */
export function installPipeline(app: NestFastifyApplication, env: Environment): void {
  const fastify = app.getHttpAdapter().getInstance();

  // The connection, before any request: at most HTTP_MAX_CONNECTIONS of them; `Expect:
  // 100-continue` left to step 4 (the timeouts are server options, serverOptions() above).
  holdConnections(fastify.server, env);
  const expectContinue = app.get(ExpectContinueHook);
  expectContinue.deferContinue(fastify.server);

  // 0. CORS (when CORS_ORIGINS is set): run by the Nest adapter's own first onRequest hook, so
  //    a preflight is answered before anything below, and every answer, a 401 too, carries the
  //    CORS headers a browser needs to read it.
  const cors = corsOptions(env);
  if (cors) app.enableCors(cors);

  // 1. onRequest, first: X-Request-Id on the reply, so every response has it, even a refusal by
  //    a later hook.
  const requestId = app.get(RequestIdHook).onRequest;
  fastify.addHook('onRequest', requestId);
  // 2. onRequest: helmet's security headers, before authentication, so a 401 carries them too.
  const securityHeaders = app.get(SecurityHeadersHook).onRequest;
  fastify.addHook('onRequest', securityHeaders);
  // 2b. onRequest (unless RATE_LIMIT_ENABLED=false): an address that had RATE_LIMIT_REFUSED_LIMIT
  //    requests refused (401/403, counted in onResponse below) in the window gets 429 before
  //    authentication, so a flood of bad tokens costs no verification.
  const refused = env.RATE_LIMIT_ENABLED ? app.get(RefusedRequestLimitHook) : undefined;
  if (refused) fastify.addHook('onRequest', refused.onRequest);
  //    Nest middleware, if a module adds some, runs here: @fastify/middie's onRequest hook is
  //    added at init, after 1 and 2, and every route-level hook (3) runs after the global ones.
  // 3. onRequest of each route not marked @Public() (or `config: PUBLIC_ROUTE`): bearer token,
  //    `request.user`, 403 when `:user_id` is another user. Attached to the route as it is
  //    registered (onRoute), so it runs after 1 and 2 and before the body is read (a 401 costs
  //    no parsing), and URLs that match no route (404) never run it.
  fastify.decorateRequest('user', null);
  fastify.addHook('onRoute', app.get(AuthenticationHook).onRoute);
  // 4. Body: preParsing of each route that reads one sends `100 Continue` when the client waits
  //    for it (so a 401 above goes out without one); then application/json only, at most
  //    BODY_LIMIT_BYTES (else 415, 413); parsed after the onRequest hooks, so only for
  //    authenticated requests.
  fastify.addHook('onRoute', expectContinue.onRoute);
  registerJsonBodyParser(fastify, BODY_LIMIT_BYTES);

  //    ... Nest: the rate limiter (APP_GUARD, per user: after 3), the body pipes, the controller.

  // 5. onSend: `Connection: close` on every response once shutting down, so keep-alive clients
  //    move to another pod during the drain, and on a refusal whose body was not read, so the
  //    rest of it is never read.
  fastify.addHook('onSend', app.get(ConnectionCloseHook).onSend);
  // 6. onResponse, after the response is written: the request's log line, then its metrics;
  //    both read the status and time Fastify measured, and neither can delay the answer.
  const onResponse = [app.get(RequestLogHook).onResponse, app.get(MetricsHook).onResponse];
  for (const hook of onResponse) fastify.addHook('onResponse', hook);
  //    ... and counting each 401/403 per client address for 2b.
  if (refused) fastify.addHook('onResponse', refused.onResponse);
  //    The router's own refusals (bad URL encoding, over-long segment) reach no route, so
  //    Fastify runs none of the above for them: answerRouterError runs 1, 2 and 6 itself.
  runOnServerErrors(fastify, { onRequest: [requestId, securityHeaders], onResponse });

  // Raw routes, public, outside Nest's guards and pipes (the hooks above still run):
  // /metrics on this port only outside production, or when METRICS_PORT says this port;
  // otherwise it has a listener of its own (MetricsServer, metricsPort()).
  if (metricsPort(env) === undefined) {
    fastify.get(METRICS_PATH, { config: PUBLIC_ROUTE }, app.get(MetricsHook).scrape);
  }
  // /docs (Swagger UI) and /docs/openapi.json, the document made from the controllers.
  serveDocs(fastify, buildOpenApiDocument(app));
}
