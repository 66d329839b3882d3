import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
} from '@nestjs/swagger';
import { APP_INFO } from '../ops/lifecycle';
import { METRICS_PATH } from '../ops/metrics.server';
import { errorCodes } from '../errors/api-error';
import { COMMON_RESPONSE_HEADERS } from './error-responses';
import { FEATURE_TAGS } from './schema.decorator';
import { optionalBodySchemas } from '../validation/shape';

/** /metrics is a plain Fastify route, which Nest's scanner cannot see. */
const METRICS_OPERATION: OperationObject = {
  operationId: 'metrics',
  summary: 'Prometheus metrics',
  description:
    'Prometheus text exposition format: requests and durations by route template, method and status; pool and process gauges. Served on this port in development and tests; in production on a port of its own (METRICS_PORT, 9464 unless set), so it stays inside the cluster.',
  tags: ['operations'],
  responses: {
    200: {
      description: 'The current metrics.',
      headers: COMMON_RESPONSE_HEADERS,
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
  },
};

const CORE_TAGS = [
  ['health', 'Probes for Kubernetes and operators; no authentication.'],
  ['operations', 'For operators and their tools; no authentication.'],
];

const TOP_LEVEL_ORDER = ['openapi', 'info', 'servers', 'tags', 'paths', 'components'];

/**
 * The app's OpenAPI 3 document, deterministic so `npm run openapi` makes the same file every
 * time: keys sorted (property lists keep the declared order), nothing from time, host or env.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('tasks-api')
    .setDescription(
      'A per-user tasks REST API. Every /api route needs `Authorization: Bearer <JWT>` whose `sub` equals `{user_id}`; /health routes are public. Every error has the body `Error`; every response carries `X-Request-Id`.\n\nA token for local use (`npm run dev`, which verifies with the development secret): `npm run -s token -- alice` prints one for user `alice`; paste it into Authorize and use `alice` as `{user_id}`.',
    )
    .addServer('/', 'This service: paths are relative to where this document is served from.')
    .setVersion(APP_INFO.version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'A JWT (HS256/384/512 with the shared secret, or a key from AUTH_JWKS_URL; `sub` is the user id), or, when enabled, a Better Auth session token (its `userId` is the user id). Locally: `npm run -s token -- alice`.',
    })
    .build();
  config.tags = [...FEATURE_TAGS, ...CORE_TAGS].map(([name, description]) => ({
    name,
    description,
  }));
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  document.paths[METRICS_PATH] = { get: METRICS_OPERATION };
  const schemas = document.components?.schemas ?? {};
  // Every code a feature registered, known only once all modules are loaded.
  if (schemas.ErrorCode && !('$ref' in schemas.ErrorCode)) schemas.ErrorCode.enum = errorCodes();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      operation.security ??= []; // public: said, not left to the document's default
      operation.parameters?.sort((a, b) => pathPosition(path, a) - pathPosition(path, b));
      // A body its class declares optional (@InputShape): swagger marks every @Body() required.
      const body = operation.requestBody;
      if (!body || !('content' in body)) continue;
      const schema = body.content['application/json']?.schema;
      if (schema && '$ref' in schema && optionalBodySchemas().has(schema.$ref.split('/').pop()!)) {
        body.required = false;
      }
    }
  }
  const sorted = canonical(document) as Record<string, unknown>;
  // The top level in the order people read it; everything below is sorted.
  const top = TOP_LEVEL_ORDER.filter((key) => key in sorted).map((key) => [key, sorted[key]]);
  return Object.assign(Object.fromEntries(top), sorted) as OpenAPIObject;
}

/** Path parameters first, in the path's order, wherever their decorator sits; then the rest. */
function pathPosition(path: string, parameter: ParameterObject | ReferenceObject): number {
  if ('$ref' in parameter || parameter.in !== 'path') return Number.MAX_SAFE_INTEGER;
  return path.indexOf(`{${parameter.name}}`);
}

export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function canonical(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, child]) => child !== undefined);
  if (!keepOrder) entries.sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(
    entries.map(([key, child]) => [key, canonical(child, key === 'properties')]),
  );
}
