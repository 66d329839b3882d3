import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthenticationHook } from '../auth/authentication.hook';
import { PUBLIC_ROUTE } from '../auth/decorators';
import type { Config } from '../config/config';
import { serveDocs } from '../openapi/docs';
import { buildOpenApiDocument } from '../openapi/openapi';
import { MetricsHook } from '../ops/metrics.hook';
import { METRICS_PATH } from '../ops/metrics.server';
import { OpsConfig } from '../ops/ops.config';
import { RequestLogHook } from '../ops/request-log.hook';
import { ConditionalHook } from './conditional';
import { ConnectionCloseHook } from './connection-close.hook';
import { holdConnections } from './connection-limits';
import { corsOptions } from './cors';
import { ExpectContinueHook } from './expect-continue.hook';
import { HttpConfig } from './http.config';
import { BODY_LIMIT_BYTES, registerJsonBodyParser } from './json-body-parser';
import { answerWrongMethods } from './method-not-allowed';
import { ResponseHeadersHook } from './response-headers.hook';
import { recordClientAborts, runOnServerErrors } from './server-errors';

/**
 * THE request path, in the order a request meets it. Fastify hooks where they must run before
 * Nest (a 401 is answered before the body is read) or after the answer; Nest's own steps (guard,
 * pipe, controller, filter) are declared in app.module.ts and run at step 5.
 * Call before `app.init()`: the authentication hook must see each route as it is registered.
 */
export function installPipeline(app: NestFastifyApplication, config: Config): void {
  const fastify = app.getHttpAdapter().getInstance();
  const expectContinue = app.get(ExpectContinueHook);

  // 0. The connection (server.ts bounds each phase): at most HTTP_MAX_CONNECTIONS, a silent one
  //    reset, `Expect: 100-continue` left to step 4.
  holdConnections(fastify.server, config.get(HttpConfig));
  expectContinue.deferContinue(fastify.server);

  // 1. CORS, the Nest adapter's own first hook: a preflight ends here, and every answer (a 401
  //    too) carries what a browser needs to read it.
  const cors = corsOptions(config.get(HttpConfig));
  if (cors) app.enableCors(cors);

  // 2. onRequest: X-Request-Id and the security headers, on every answer from here on.
  const responseHeaders = app.get(ResponseHeadersHook).onRequest;
  fastify.addHook('onRequest', responseHeaders);

  // 3. The limit on refused requests per address is spent inside 4, only by a costly
  //    verification (session lookup, JWKS fetch): a valid token is never refused by it.
  //    A path that exists under other methods: 405 with `Allow`, not the router's 404.
  answerWrongMethods(fastify);

  // 4. Per route not marked @Public(): the bearer token (401), `:user_id` its subject (403),
  //    `request.user`; then `100 Continue` if awaited, and the JSON body (415, 413, 400).
  fastify.decorateRequest('user', null);
  fastify.addHook('onRoute', app.get(AuthenticationHook).onRoute);
  fastify.addHook('onRoute', expectContinue.onRoute);
  registerJsonBodyParser(fastify, BODY_LIMIT_BYTES);
  //    On a `@Conditional` controller's routes: a write's If-Match (428 when required), before
  //    Nest; the answer's ETag when it is serialized; 304 for a GET whose If-None-Match holds it.
  fastify.addHook('onRoute', app.get(ConditionalHook).onRoute);

  // 5. Nest: the per-user rate limit (APP_GUARD), validation (APP_PIPE), the controller, the
  //    service and its SQL; any error, from here or above, is rendered by the APP_FILTER.

  // 6. onSend: `Connection: close` while draining and after a refusal with an unread body.
  fastify.addHook('onSend', app.get(ConnectionCloseHook).onSend);

  // 7. onResponse, after the answer: its log line, its metrics.
  const onResponse = [app.get(RequestLogHook).onResponse, app.get(MetricsHook).onResponse];
  for (const hook of onResponse) fastify.addHook('onResponse', hook);
  //    The router's own refusals reach no route and run no hook: server-errors.ts runs 2 and 7.
  runOnServerErrors(fastify, { onRequest: [responseHeaders], onResponse });
  //    Nor does a request whose client hung up mid-body: its line and count are taken on error.
  recordClientAborts(fastify, onResponse);

  // Raw routes, public: /metrics here unless it has a port of its own; /docs.
  if (config.get(OpsConfig).metricsPort === undefined) {
    fastify.get(METRICS_PATH, { config: PUBLIC_ROUTE }, app.get(MetricsHook).scrape);
  }
  serveDocs(fastify, buildOpenApiDocument(app));
}
