/* eslint-disable @typescript-eslint/no-require-imports -- the SDK is loaded only when it exports */
import { subscribe } from 'node:diagnostics_channel';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { FastifyInstance } from 'fastify';

/** Probes and scrapes every few seconds: traced, they would bury the requests. */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

let sdk: NodeSDK | undefined;

/** pino's mixin while traces are exported: a line logged within a span carries its ids. */
export let traceLogFields: (() => object) | undefined;

/**
 * OpenTelemetry traces over OTLP/HTTP when an endpoint is set (else none of its packages loads),
 * from the preload src/tracing.ts: the instrumentations patch http, pg and fastify as required.
 */
export function startTracing(env: NodeJS.ProcessEnv): void {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return;
  env.OTEL_SERVICE_NAME ??= 'tasks-api';
  // Traces only: metrics stay Prometheus' and logs stdout's unless the operator asks for more.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  const { context, trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { getRPCMetadata } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { NodeSDK } =
    require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const http =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const pg =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const redis =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const undici =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  sdk = new NodeSDK({
    instrumentations: [
      new http.HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.test(request.url ?? ''),
      }),
      // The SQL text only: its parameters are user data and tokens.
      new pg.PgInstrumentation({ enhancedDatabaseReporting: false, ignoreConnectSpans: true }),
      new redis.IORedisInstrumentation({ requireParentSpan: true }),
      new undici.UndiciInstrumentation(), // fetch: the JWKS
    ],
  });
  sdk.start();
  // The server span named for its route, without Fastify's instrumentation's two spans more.
  subscribe('fastify.initialization', (message) => {
    (message as { fastify: FastifyInstance }).fastify.addHook('onRequest', (request, _, done) => {
      const rpc = getRPCMetadata(context.active());
      if (rpc) rpc.route = request.routeOptions.url;
      done();
    });
  });
  traceLogFields = () => {
    const ids = trace.getActiveSpan()?.spanContext();
    return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
  };
}

/** Sends the spans still held; the shutdown awaits it before the process exits. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}
