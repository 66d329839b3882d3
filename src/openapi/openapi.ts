import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_INFO } from '../health/app-info';
import { METRICS_PATH } from '../metrics/metrics.server';
import { REQUEST_ID_HEADER } from './api-responses';
import { BEARER_AUTH } from './openapi.constants';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** /metrics is a plain Fastify route (src/metrics), which Nest's scanner cannot see. */
const METRICS_OPERATION: OperationObject = {
  operationId: 'metrics',
  summary: 'Prometheus metrics',
  description:
    'Prometheus text exposition format: requests and durations by route template, method and status; pool and process gauges. Served on this port unless METRICS_PORT moves it to its own.',
  tags: ['operations'],
  responses: {
    200: {
      description: 'The current metrics.',
      headers: REQUEST_ID_HEADER,
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
  },
};

const TOP_LEVEL_ORDER = ['openapi', 'info', 'servers', 'tags', 'paths', 'components'];

/** Request bodies refuse unknown fields and the response shapes are exact: say so in the schemas. */
const CLOSED_SCHEMAS = ['CreateTask', 'UpdateTask', 'CompleteTask', 'Task', 'Error'];

/**
 * The OpenAPI 3 document of the app, from the controllers' decorators. Deterministic: object keys
 * are sorted (except property lists, which keep the declared order), and nothing in it depends on
 * the time, the host or the environment, so `npm run openapi` makes the same file every time.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('tasks-api')
    .setDescription(
      'A per-user tasks REST API. Every /api route needs `Authorization: Bearer <JWT>` whose `sub` equals `{user_id}`; /health routes are public. Every error has the body `Error`; every response carries `X-Request-Id`.',
    )
    .setVersion(APP_INFO.version)
    .addTag('tasks', "A user's tasks; bearer token required, `sub` must equal `{user_id}`.")
    .addTag('health', 'Probes for Kubernetes and operators; no authentication.')
    .addTag('operations', 'For operators and their tools; no authentication.')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'HS256/384/512 with the shared secret, or a key from AUTH_JWKS_URL; `sub` is the user id.',
      },
      BEARER_AUTH,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  document.paths[METRICS_PATH] = { get: METRICS_OPERATION };
  const schemas = document.components?.schemas ?? {};
  for (const name of CLOSED_SCHEMAS) {
    const schema = schemas[name];
    if (schema && !('$ref' in schema)) schema.additionalProperties = false;
  }
  const update = schemas.UpdateTask;
  if (update && !('$ref' in update)) update.minProperties = 1;
  const sorted = canonical(document) as Record<string, unknown>;
  // The top level in the order people read it; everything below is sorted.
  const ordered: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (key in sorted) ordered[key] = sorted[key];
  return Object.assign(ordered, sorted) as unknown as OpenAPIObject;
}

/** The document as the file `openapi.json` holds it. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Swagger UI at /docs and the document at /docs/openapi.json, served straight from Fastify:
 * the files of `swagger-ui-dist`, kept in memory, and a page with no inline script, so a strict
 * Content-Security-Policy (script-src 'self') does not break it. (@fastify/static, which
 * SwaggerModule.setup would use, cannot be loaded by jest on Node 20: one of its dependencies is
 * an ES module.)
 */
export function setupOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  const json = serializeOpenApiDocument(document);
  const fastify = app.getHttpAdapter().getInstance();
  const page = (_: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(SWAGGER_UI_HTML);
  fastify.get(`/${DOCS_PATH}`, page);
  fastify.get(`/${DOCS_PATH}/`, page);
  fastify.get(`/${OPENAPI_JSON_PATH}`, (_, reply) =>
    reply.type('application/json; charset=utf-8').send(json),
  );
  fastify.get(`/${DOCS_PATH}/swagger-initializer.js`, (_, reply) =>
    reply.type('application/javascript; charset=utf-8').send(SWAGGER_UI_INIT),
  );
  // The folder only: requiring the package itself would load its multi-megabyte bundles into
  // every process, docs visited or not.
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
    let content: Buffer | undefined;
    fastify.get(`/${DOCS_PATH}/${file}`, (_, reply) => {
      content ??= readFileSync(join(dist, file));
      return reply.type(type).header('Cache-Control', 'public, max-age=86400').send(content);
    });
  }
  return document;
}

const SWAGGER_UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const SWAGGER_UI_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>tasks-api</title>
    <link rel="stylesheet" type="text/css" href="/${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="/${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/${DOCS_PATH}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/${DOCS_PATH}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="/${DOCS_PATH}/swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

const SWAGGER_UI_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/${OPENAPI_JSON_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

function canonical(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (!keepOrder) keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) out[key] = canonical(child, key === 'properties');
  }
  return out;
}
