import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PUBLIC_ROUTE } from '../auth/decorators';
import { DOCS_PATH } from '../http/response-headers.hook';
import { serializeOpenApiDocument } from './openapi';

export const OPENAPI_JSON_PATH = `${DOCS_PATH}/openapi.json`;

/**
 * Swagger UI from `swagger-ui-dist` with no inline script, so a strict CSP (script-src 'self')
 * holds. Not SwaggerModule.setup: its @fastify/static has an ES-module dependency jest cannot load.
 */
export function serveDocs(fastify: FastifyInstance, document: OpenAPIObject): void {
  const json = serializeOpenApiDocument(document);
  const route = { config: PUBLIC_ROUTE };
  const page = (_: FastifyRequest, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(SWAGGER_UI_HTML);
  for (const path of [DOCS_PATH, `${DOCS_PATH}/`]) fastify.get(path, route, page);
  fastify.get(OPENAPI_JSON_PATH, route, (_, reply) =>
    reply.type('application/json; charset=utf-8').send(json),
  );
  fastify.get(`${DOCS_PATH}/swagger-initializer.js`, route, (_, reply) =>
    reply.type('application/javascript; charset=utf-8').send(SWAGGER_UI_INIT),
  );
  // The folder only: requiring the package would load its megabytes of bundles into every process.
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
    let content: Buffer | undefined;
    fastify.get(`${DOCS_PATH}/${file}`, route, (_, reply) => {
      content ??= readFileSync(join(dist, file));
      return reply.type(type).header('Cache-Control', 'public, max-age=86400').send(content);
    });
  }
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
    <link rel="stylesheet" type="text/css" href="${DOCS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="${DOCS_PATH}/swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

const SWAGGER_UI_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_JSON_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;
