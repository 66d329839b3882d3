import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { loadAppConfig } from '../../src/app.module';
import { KNOWN_VARIABLES } from '../support/app-config';

const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
const set = parseEnv(text) as Record<string, string>;
/** Variables shown but left unset (`# NAME=…`), so that the app's default applies. */
const commented = [...text.matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
/** Read by `npm run dev` (scripts/dev.mjs), not by the app. */
const DEV_ONLY = ['DEV_DATABASE_PORT'];
/** Read by the OpenTelemetry SDK (src/core/ops/tracing.ts), not by the app's configuration. */
const OTEL = /^OTEL_/;

describe('.env.example', () => {
  it('names every variable the app reads, and only those (plus npm run dev`s own)', () => {
    const named = [...Object.keys(set), ...commented];
    expect(new Set(named).size).toBe(named.length);
    expect(named.filter((n) => !DEV_ONLY.includes(n) && !OTEL.test(n)).sort()).toEqual(
      [...KNOWN_VARIABLES].sort(),
    );
  });

  it('shows the tracing variables without setting any: copied to .env it exports no trace', () => {
    expect(commented.filter((n) => OTEL.test(n))).toEqual(
      expect.arrayContaining(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME']),
    );
    expect(Object.keys(set).filter((n) => OTEL.test(n))).toEqual([]);
  });

  it('sets nothing but the documented defaults: copied to .env it changes no setting', () => {
    const base = {
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      AUTH_JWT_SECRET: 'a-secret-for-this-test-0123456789abcdef',
    };
    expect(loadAppConfig({ ...set, ...base })).toEqual(loadAppConfig(base));
    // What the issue found: CORS on for every origin, and the dev server on every interface.
    expect(set.CORS_ORIGINS).toBe('');
    expect(set.HOST).toBeUndefined();
    // No secret to copy into a real deployment by accident.
    expect(set.AUTH_JWT_SECRET).toBeUndefined();
  });
});
