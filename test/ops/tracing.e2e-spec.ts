import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { BuiltApp, ensureBuilt, startBuiltApp } from '../support/built-app';
import { ROOT, run } from '../support/child-process';
import { JwksServer, startJwksServer } from '../support/jwks-server';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';

/** The parts of OTLP/JSON (the collector's own format) these tests read. */
interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

const SPAN_KIND_SERVER = 2;
const attribute = (attributes: OtlpAttribute[], key: string) =>
  attributes.find((a) => a.key === key)?.value.stringValue;

/** A collector's OTLP/HTTP traces endpoint: keeps what it is sent, bounded. */
function startReceiver(): Promise<{ server: Server; url: string; exports: OtlpExport[] }> {
  const exports: OtlpExport[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 4_000_000) req.destroy();
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') exports.push(JSON.parse(body) as OtlpExport);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, exports });
    });
  });
}

describe('OpenTelemetry traces (the built app, exporting over OTLP/HTTP)', () => {
  let db: TestDatabase;
  let app: BuiltApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let jwks: JwksServer;
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const title = `secret-title-${randomBytes(6).toString('hex')}`;
  let token: string;
  let spans: OtlpSpan[];
  let resources: OtlpAttribute[][];

  beforeAll(async () => {
    receiver = await startReceiver();
    const keys = await generateKeyPair('ES256');
    jwks = await startJwksServer([
      { ...(await exportJWK(keys.publicKey)), kid: 'k', alg: 'ES256' },
    ]);
    db = await createTestDatabase();
    app = await startBuiltApp({
      DATABASE_URL: db.url,
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: 'https://issuer.test',
      AUTH_AUDIENCE: 'tasks-api',
      RATE_LIMIT_ENABLED: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'tasks-api-under-test',
      // Held until the shutdown: the test proves the shutdown sends them.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    token = await tokenFor(
      'alice',
      { iss: 'https://issuer.test', aud: 'tasks-api' },
      { key: keys.privateKey, alg: 'ES256', kid: 'k' },
    );
    const created = await app.http.post(
      '/api/alice/tasks',
      { title },
      {
        token,
        headers: {
          traceparent: `00-${traceId}-${callerSpanId}-01`,
          'X-Request-Id': 'traced-request',
        },
      },
    );
    expect(created.status).toBe(201);
    expect(receiver.exports).toEqual([]);
    app.child.kill('SIGTERM');
    expect(await app.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    spans = receiver.exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    resources = receiver.exports.flatMap((e) => e.resourceSpans.map((r) => r.resource.attributes));
  });

  afterAll(async () => {
    await app?.kill();
    await db?.drop();
    await jwks?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('continues the caller’s trace: the request’s server span is a child of its traceparent', () => {
    const server = spans.find((s) => s.kind === SPAN_KIND_SERVER && s.traceId === traceId);
    expect(server).toMatchObject({ parentSpanId: callerSpanId });
    expect(attribute(server!.attributes, 'http.route')).toBe('/api/:user_id/tasks');
  });

  // db.system.name and db.query.text: the stable names of what were db.system and db.statement.
  it('has a span for each PostgreSQL query of the request, with the SQL but no parameter value', () => {
    const queries = spans.filter(
      (s) => s.traceId === traceId && attribute(s.attributes, 'db.system.name') === 'postgresql',
    );
    expect(queries.map((s) => attribute(s.attributes, 'db.query.text'))).toContainEqual(
      expect.stringContaining('INSERT INTO tasks (user_id, title, description, completed)'),
    );
    const exported = JSON.stringify(receiver.exports);
    expect(exported).not.toContain(title);
    expect(exported).not.toContain(token);
  });

  it('has a span for the JWKS fetch the request waited for', () => {
    const fetches = spans.filter((s) => attribute(s.attributes, 'url.full') === jwks.url);
    expect(fetches).toEqual([expect.objectContaining({ traceId, name: 'GET' })]);
  });

  it('names the service, and traces no probe', () => {
    expect(resources.map((r) => attribute(r, 'service.name'))).toContain('tasks-api-under-test');
    expect(JSON.stringify(receiver.exports)).not.toContain('/health');
  });

  it('logs the request’s line with its trace id and the id of one of its spans', () => {
    const line = app
      .logs()
      .find((l) => (l.req as { id?: string } | undefined)?.id === 'traced-request');
    expect(line).toMatchObject({
      trace_id: traceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(spans.map((s) => s.spanId)).toContain(line!.span_id);
  });
});

describe('OpenTelemetry off (no OTLP endpoint, or OTEL_SDK_DISABLED)', () => {
  const loadedPackages = async (env: Record<string, string>) => {
    ensureBuilt();
    const script = `require(${JSON.stringify(join(ROOT, 'dist/tracing.js'))}); process.stdout.write(String(Object.keys(require.cache).filter((f) => f.includes('@opentelemetry')).length))`;
    const result = await run(process.execPath, ['-e', script], env);
    expect(result.stderr).toBe('');
    return Number(result.stdout);
  };

  it('loads none of its packages', async () => {
    expect(await loadedPackages({})).toBe(0);
    expect(
      await loadedPackages({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SDK_DISABLED: 'true',
      }),
    ).toBe(0);
    expect(
      await loadedPackages({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }),
    ).toBeGreaterThan(0);
  });
});
