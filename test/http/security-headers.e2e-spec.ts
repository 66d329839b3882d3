import { AuthProbeModule } from '../support/auth-probe.module';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';

const FRONTEND = 'http://localhost:5173';

// Preflights, /docs and the probe routes are outside openapi.json: those requests go unchecked.
function preflight(app: TestApp, origin: string, method: string, headers: string) {
  return app.http.raw('OPTIONS', '/api/alice/auth-probe', {
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
    timeoutMs: 10_000,
  });
}

describe('security headers and CORS with a list of origins', () => {
  let app: TestApp;

  beforeAll(async () => {
    const env = { CORS_ORIGINS: `${FRONTEND}, https://app.example.com` };
    app = await startTestApp({
      database: { migrate: false },
      env,
      extraModules: [AuthProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sends helmet headers with the default CSP', async () => {
    const res = await app.http.get('/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves Swagger UI under /docs with its own CSP: https images, still no inline script', async () => {
    const docs = await app.http.raw('GET', '/docs');
    expect(docs.status).toBe(200);
    const csp = docs.headers.get('content-security-policy');
    expect(csp).toContain("img-src 'self' data: https:");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // The page loads only same-origin scripts, which that policy allows.
    const html = docs.text;
    expect(html).not.toMatch(/<script>/);
    expect(html).toContain('<script src="/docs/swagger-initializer.js"');
    const asset = await app.http.raw('GET', '/docs/swagger-ui.css');
    expect(asset.headers.get('content-security-policy')).toContain("img-src 'self' data: https:");
    const lookalike = await app.http.get('/docsx');
    expect(lookalike.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
  });

  it('answers a preflight for each method with the allowed headers', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await preflight(
        app,
        FRONTEND,
        method,
        'authorization,content-type,x-request-id,if-match,if-none-match,idempotency-key',
      );
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
      expect(res.headers.get('access-control-allow-methods')).toContain(method);
      const allowed = res.headers.get('access-control-allow-headers')?.toLowerCase();
      expect(allowed).toContain('authorization');
      expect(allowed).toContain('content-type');
      for (const header of ['x-request-id', 'if-match', 'if-none-match', 'idempotency-key']) {
        expect(allowed).toContain(header);
      }
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('does not allow an origin that is not listed', async () => {
    const res = await preflight(app, 'https://evil.example', 'GET', 'authorization');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows and exposes headers on an actual cross-origin request', async () => {
    const res = await app.http.raw('GET', '/api/alice/auth-probe', {
      headers: { origin: FRONTEND },
      token: await tokenFor('alice'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    const exposed = res.headers.get('access-control-expose-headers');
    const headers = ['ETag', 'Idempotent-Replayed', 'Location', 'Link', 'X-Next-Cursor'];
    for (const header of [...headers, 'X-Request-Id', 'Retry-After']) {
      expect(exposed).toContain(header);
    }
  });

  it('sends the CORS headers on a 401 too, so the frontend can read it', async () => {
    const res = await app.http.raw('GET', '/api/alice/auth-probe', {
      headers: { origin: FRONTEND },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
  });
});

describe('CORS with * and with credentials', () => {
  let db: TestDatabase;
  let star: TestApp;
  let credentialed: TestApp;
  let none: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    // Three apps on one database of the test's own.
    star = await startTestApp({ database: db, env: { CORS_ORIGINS: '*' } });
    credentialed = await startTestApp({
      database: db,
      env: { CORS_ORIGINS: FRONTEND, CORS_CREDENTIALS: 'true' },
    });
    none = await startTestApp({ database: db });
  });

  afterAll(async () => {
    await star?.close();
    await credentialed?.close();
    await none?.close();
    await db?.drop();
  });

  it('allows any origin with *', async () => {
    const res = await preflight(star, 'https://anywhere.example', 'DELETE', 'authorization');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows credentials only when CORS_CREDENTIALS=true', async () => {
    const res = await preflight(credentialed, FRONTEND, 'GET', 'authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('sends no CORS headers when CORS_ORIGINS is empty', async () => {
    const res = await none.http.get('/health/live', { headers: { origin: FRONTEND } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
