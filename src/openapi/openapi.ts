import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { APP_INFO } from '../health/app-info';
import { BEARER_AUTH } from './openapi.constants';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

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

/** Swagger UI at /docs, the document at /docs/openapi.json. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'tasks-api',
  });
  return document;
}

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
