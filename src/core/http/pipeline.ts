import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthenticationHook } from '../auth/authentication.hook';
import { PUBLIC_ROUTE } from '../auth/decorators';
import type { Config } from '../config/config';
import { serveDocs } from '../openapi/docs';
import { buildOpenApiDocument } from '../openapi/openapi';
import { METRICS_PATH } from '../ops/metrics.server';
import { MetricsService } from '../ops/metrics.service';
import { OpsConfig } from '../ops/ops.config';
import { RequestLogHook } from '../ops/request-log.hook';
import { ConditionalHook } from './conditional';
import { ConnectionCloseHook } from './connection-close.hook';
import { holdConnections } from './connection-limits';
import { corsOptions } from './cors';
import { ExpectContinueHook } from './expect-continue.hook';
import { HttpConfig } from './http.config';
import { registerJsonBodyParser } from './json-body-parser';
import { ResponseHeadersHook } from './response-headers.hook';
import { answerWrongMethods, runOnServerErrors } from './server-errors';

/**
 * THE request path, in the order a request meets it. Nest's own steps (guards, pipe, controller,
 * filter) are declared in app.module.ts and run at step 5. Call before `app.init()`.
 */
export function installPipeline(app: NestFastifyApplication, config: Config): void {
  const fastify = app.getHttpAdapter().getInstance();

  // 0. The connection (server.ts bounds its phases): capped, silent ones reset, 100-continue held.
  holdConnections(fastify.server, config.get(HttpConfig));
  app.get(ExpectContinueHook).deferContinue(fastify.server);

  // 1. CORS, the adapter's first hook: a preflight ends here; every answer carries its headers.
  const cors = corsOptions(config.get(HttpConfig));
  if (cors) app.enableCors(cors);

  // 2. onRequest: X-Request-Id and the security headers, on every answer from here on.
  const responseHeaders = app.get(ResponseHeadersHook).onRequest;
  fastify.addHook('onRequest', responseHeaders);

  // 3. The refused-request limit is spent inside 4 (costly verifications only). A path that
  //    exists under other methods: 405 with `Allow`, not the router's 404.
  answerWrongMethods(fastify);

  // 4. Per route not @Public(): the bearer token (401, 403), `request.user`; then `100 Continue`
  //    if awaited, the JSON body (415, 413, 400); on @Conditional routes If-Match, ETag and 304.
  fastify.decorateRequest('user', null);
  fastify.addHook('onRoute', app.get(AuthenticationHook).onRoute);
  fastify.addHook('onRoute', app.get(ExpectContinueHook).onRoute);
  registerJsonBodyParser(fastify);
  fastify.addHook('onRoute', app.get(ConditionalHook).onRoute);

  // 5. Nest: the rate limit (APP_GUARD), validation (APP_PIPE), the controller, the service and
  //    its SQL; any error, from here or above, is rendered by the APP_FILTER.

  // 6. onSend: `Connection: close` while draining and after a refusal with an unread body.
  fastify.addHook('onSend', app.get(ConnectionCloseHook).onSend);

  // 7. onResponse: the log line, the metrics; also for the router's own refusals (which run no
  //    hook) and for a client that hung up mid-body.
  const onResponse = [app.get(RequestLogHook).onResponse, app.get(MetricsService).onResponse];
  for (const hook of onResponse) fastify.addHook('onResponse', hook);
  runOnServerErrors(fastify, { onRequest: [responseHeaders], onResponse });

  // Raw routes, public: /metrics here unless it has a port of its own; /docs.
  if (config.get(OpsConfig).metricsPort === undefined) {
    fastify.get(METRICS_PATH, { config: PUBLIC_ROUTE }, app.get(MetricsService).scrape);
  }
  serveDocs(fastify, buildOpenApiDocument(app));
}
