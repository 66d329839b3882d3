import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthenticationHook } from '../auth/authentication.hook';
import { PUBLIC_ROUTE } from '../auth/public.decorator';
import type { Environment } from '../config/environment';
import { RequestLogHook } from '../logging/request-log.hook';
import { MetricsHook } from '../metrics/metrics.hook';
import { METRICS_PATH } from '../metrics/metrics.server';
import { serveDocs } from '../openapi/docs';
import { buildOpenApiDocument } from '../openapi/openapi';
import { ConnectionCloseHook } from './connection-close.hook';
import { corsOptions } from './cors';
import { BODY_LIMIT_BYTES, registerJsonBodyParser } from './json-body-parser';
import { RequestIdHook } from './request-id.hook';
import { requestIdFor } from './request-id';
import { SecurityHeadersHook } from './security-headers.hook';
import { RefusedRequestLimitHook } from '../rate-limit/refused-request-limit.hook';
import { trustProxyOption } from './client-address';

/**
 * The Fastify server the pipeline runs on. Without `skipMiddie`: Nest registers @fastify/middie,
 * so a Nest middleware added later works (with `skipMiddie` it failed at startup). With no
 * middleware mounted, middie's one onRequest hook only calls next(); callgrind showed no cost
 * beyond its run-to-run spread.
 */
export const SERVER_OPTIONS = {
  bodyLimit: BODY_LIMIT_BYTES,
  genReqId: requestIdFor,
  // A request that arrives on a kept-alive connection while the listener closes gets a 503.
  return503OnClosing: true,
};

/**
 * SERVER_OPTIONS with what depends on the configuration: `trustProxy` from TRUSTED_PROXIES, so
 * `request.ip` is the client behind the ingress, and only when the peer is a trusted proxy
 * (src/http/client-address.ts).
 */
export function serverOptions(env: Environment) {
  return { ...SERVER_OPTIONS, trustProxy: trustProxyOption(env.TRUSTED_PROXIES) };
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

  // 0. CORS (when CORS_ORIGINS is set): run by the Nest adapter's own first onRequest hook, so
  //    a preflight is answered before anything below, and every answer, a 401 too, carries the
  //    CORS headers a browser needs to read it.
  const cors = corsOptions(env);
  if (cors) app.enableCors(cors);

  // 1. onRequest, first: X-Request-Id on the reply, so every response has it, even a refusal by
  //    a later hook.
  fastify.addHook('onRequest', app.get(RequestIdHook).onRequest);
  // 2. onRequest: helmet's security headers, before authentication, so a 401 carries them too.
  fastify.addHook('onRequest', app.get(SecurityHeadersHook).onRequest);
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
  // 4. Body: application/json only, at most BODY_LIMIT_BYTES (else 415, 413); parsed after the
  //    onRequest hooks, so only for authenticated requests.
  registerJsonBodyParser(fastify, BODY_LIMIT_BYTES);

  //    ... Nest: the rate limiter (APP_GUARD, per user: after 3), the body pipes, the controller.

  // 5. onSend: `Connection: close` on every response once shutting down, so keep-alive clients
  //    move to another pod during the drain.
  fastify.addHook('onSend', app.get(ConnectionCloseHook).onSend);
  // 6. onResponse, after the response is written: the request's log line, then its metrics;
  //    both read the status and time Fastify measured, and neither can delay the answer.
  fastify.addHook('onResponse', app.get(RequestLogHook).onResponse);
  fastify.addHook('onResponse', app.get(MetricsHook).onResponse);
  //    ... and counting each 401/403 per client address for 2b.
  if (refused) fastify.addHook('onResponse', refused.onResponse);

  // Raw routes, public, outside Nest's guards and pipes (the hooks above still run):
  // /metrics on this port unless METRICS_PORT gives it a listener of its own (MetricsServer).
  if (env.METRICS_PORT === undefined) {
    fastify.get(METRICS_PATH, { config: PUBLIC_ROUTE }, app.get(MetricsHook).scrape);
  }
  // /docs (Swagger UI) and /docs/openapi.json, the document made from the controllers.
  serveDocs(fastify, buildOpenApiDocument(app));
}
