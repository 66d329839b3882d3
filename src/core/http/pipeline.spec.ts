import { EventEmitter } from 'node:events';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthenticationHook } from '../auth/authentication.hook';
import { PUBLIC_ROUTE } from '../auth/decorators';
import { loadAppConfig } from '../../app.module';
import { RequestLogHook } from '../ops/request-log.hook';
import { MetricsService } from '../ops/metrics.service';
import { serveDocs } from '../openapi/docs';
import { ConnectionCloseHook } from './connection-close.hook';
import { ConditionalHook } from './conditional';
import { ExpectContinueHook } from './expect-continue.hook';
import { installPipeline } from './pipeline';
import { serverOptions } from './server';
import { ResponseHeadersHook } from './response-headers.hook';
import { answerClientError, answerRouterError } from './server-errors';

jest.mock('../openapi/openapi', () => ({ buildOpenApiDocument: () => ({ openapi: '3.0.0' }) }));
jest.mock('../openapi/docs', () => ({ serveDocs: jest.fn() }));

/** A stand-in app that records what the pipeline adds, in order. */
function recordingApp() {
  const added: string[] = [];
  const name = (fn: unknown) => (fn as { label?: string }).label ?? (fn as () => void).name;
  const server = Object.assign(new EventEmitter(), { maxConnections: undefined });
  const fastify = {
    server,
    addHook: (hook: string, fn: unknown) => added.push(`${hook}: ${name(fn)}`),
    decorateRequest: (key: string) => added.push(`decorate ${key}`),
    removeAllContentTypeParsers: () => undefined,
    getDefaultJsonParser: () => () => undefined,
    addContentTypeParser: (type: string) => added.push(`parser ${type}`),
    get: (path: string, options: { config?: unknown }) =>
      added.push(`GET ${path}${options.config === PUBLIC_ROUTE ? ' (public)' : ''}`),
  };
  const hooks = new Map<unknown, Record<string, unknown>>();
  const labelled = (type: { name: string }, ...methods: string[]) => {
    const instance: Record<string, unknown> = {};
    for (const method of methods)
      instance[method] = Object.assign(() => undefined, { label: `${type.name}.${method}` });
    hooks.set(type, instance);
  };
  labelled(ResponseHeadersHook, 'onRequest');
  labelled(AuthenticationHook, 'onRoute');
  labelled(ExpectContinueHook, 'onRoute');
  labelled(ConditionalHook, 'onRoute');
  hooks.get(ExpectContinueHook)!.deferContinue = () => added.push('checkContinue deferred');
  labelled(ConnectionCloseHook, 'onSend');
  labelled(RequestLogHook, 'onResponse');
  labelled(MetricsService, 'onResponse', 'scrape');
  const app = {
    getHttpAdapter: () => ({ getInstance: () => fastify }),
    get: (type: unknown) => hooks.get(type),
    enableCors: (options: unknown) =>
      added.push(`cors ${JSON.stringify((options as { origin: unknown }).origin)}`),
  };
  return { app: app as unknown as NestFastifyApplication, added, server };
}

const env = (extra: Record<string, string> = {}) =>
  loadAppConfig({ DATABASE_URL: 'postgres://u@h/db', AUTH_JWT_SECRET: 's', ...extra });

describe('installPipeline', () => {
  it('adds every hook and raw route in the documented order', () => {
    const { app, added } = recordingApp();
    installPipeline(app, env({ CORS_ORIGINS: 'https://a.example' }));
    expect(added).toEqual([
      'checkContinue deferred',
      'cors ["https://a.example"]',
      'onRequest: ResponseHeadersHook.onRequest',
      'onRoute: recordPath',
      'onRequest: answerWrongMethod',
      'decorate user',
      'onRoute: AuthenticationHook.onRoute',
      'onRoute: ExpectContinueHook.onRoute',
      'parser application/json',
      'onRoute: ConditionalHook.onRoute',
      'onSend: ConnectionCloseHook.onSend',
      'onResponse: RequestLogHook.onResponse',
      'onResponse: MetricsService.onResponse',
      'onError: recordClientAbort',
      'GET /metrics (public)',
    ]);
    expect(serveDocs).toHaveBeenCalledWith(expect.anything(), { openapi: '3.0.0' });
  });

  it('leaves out CORS without origins and /metrics when it has its own port', () => {
    const { app, added } = recordingApp();
    installPipeline(app, env({ METRICS_PORT: '0' }));
    expect(added.some((line) => line.startsWith('cors'))).toBe(false);
    expect(added.some((line) => line.startsWith('GET'))).toBe(false);
    // Production moves it by default.
    const production = recordingApp();
    installPipeline(
      production.app,
      env({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) }),
    );
    expect(production.added.some((line) => line.startsWith('GET'))).toBe(false);
  });

  it('caps the connections of the server before any request', () => {
    const { app, server } = recordingApp();
    installPipeline(app, env({ HTTP_MAX_CONNECTIONS: '100' }));
    expect(server.maxConnections).toBe(100);
  });
});

describe('serverOptions', () => {
  it('bounds every phase of a connection and takes 255 astral characters in a segment', () => {
    const options = serverOptions(env());
    expect(options.connectionTimeout).toBeGreaterThan(0);
    expect(options.requestTimeout).toBeGreaterThan(0);
    expect(options.http.headersTimeout).toBeGreaterThan(0);
    expect(options.routerOptions.maxParamLength).toBe(
      encodeURIComponent('\u{1F600}'.repeat(255)).length,
    );
    expect(options.frameworkErrors).toBe(answerRouterError);
    expect(options.clientErrorHandler).toBe(answerClientError);
  });

  it('trusts X-Forwarded-For from TRUSTED_PROXIES only, and no one by default', () => {
    expect(serverOptions(env()).trustProxy).toBe(false);
    expect(serverOptions(env({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10' })).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
    ]);
  });
});
