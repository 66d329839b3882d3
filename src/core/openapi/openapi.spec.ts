import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import { generateOpenApi, OPENAPI_FILE } from '../../../scripts/openapi';
import { errorCodes } from '../errors/api-error';

describe('openapi.json', () => {
  let generated: string;
  const committed = readFileSync(OPENAPI_FILE, 'utf8');

  beforeAll(async () => {
    generated = await generateOpenApi();
  });

  it('is what the code describes (else run `npm run openapi` and commit openapi.json)', () => {
    if (generated !== committed) {
      const want = generated.split('\n');
      const have = committed.split('\n');
      const line = want.findIndex((text, i) => text !== have[i]);
      throw new Error(
        `openapi.json is out of date with the controllers and DTOs: run \`npm run openapi\` and commit openapi.json\n` +
          `first difference at line ${line + 1}:\n  committed: ${have[line]}\n  generated: ${want[line]}`,
      );
    }
  });

  it('is generated the same way twice (no time, host or order drift)', async () => {
    expect(await generateOpenApi()).toBe(generated);
  });

  it('is a valid OpenAPI 3 document (@apidevtools/swagger-parser)', async () => {
    // In a child process: the parser's dependencies are ES modules, which jest cannot load.
    const script = join(__dirname, '..', '..', '..', 'scripts', 'validate-openapi.cjs');
    const { stdout } = await promisify(execFile)(process.execPath, [script, OPENAPI_FILE], {
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^valid: tasks-api .*, OpenAPI 3\./);
  });

  it('refuses an invalid document (the check can fail)', async () => {
    const script = join(__dirname, '..', '..', '..', 'scripts', 'validate-openapi.cjs');
    const bad = join(tmpdir(), `openapi-invalid-${process.pid}.json`);
    writeFileSync(bad, JSON.stringify({ openapi: '3.0.0', info: { title: 'x' }, paths: {} }));
    try {
      await expect(
        promisify(execFile)(process.execPath, [script, bad], { timeout: 20_000 }),
      ).rejects.toMatchObject({ code: 1 });
    } finally {
      rmSync(bad, { force: true });
    }
  });

  describe("Redocly's recommended ruleset (redocly.yaml: each rule switched off says why)", () => {
    const root = join(__dirname, '..', '..', '..');
    const lint = (file: string) =>
      promisify(execFile)(
        process.execPath,
        [join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint', file],
        {
          cwd: root,
          timeout: 60_000,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );

    it('openapi.json passes it', async () => {
      const { stderr } = await lint(OPENAPI_FILE);
      expect(stderr).toContain('Your API description is valid');
      expect(stderr).not.toMatch(/\d+ warnings?\b/);
    });

    it('would fail on what client generators stumble on: no servers, a public route without security', async () => {
      const doc = JSON.parse(committed) as OpenAPIV3.Document;
      doc.servers = [];
      delete doc.paths['/health/live']!.get!.security;
      const bad = join(tmpdir(), `openapi-lint-${process.pid}.json`);
      writeFileSync(bad, JSON.stringify(doc));
      try {
        const failed = (await lint(bad).catch((error: unknown) => error)) as { stdout: string };
        expect(failed).toMatchObject({ code: 1 });
        expect(failed.stdout).toMatch(
          /no-empty-servers[\s\S]*security-defined|security-defined[\s\S]*no-empty-servers/,
        );
      } finally {
        rmSync(bad, { force: true });
      }
    });
  });

  it('describes every route, the error body and the bearer scheme', () => {
    const doc = JSON.parse(committed) as OpenAPIV3.Document;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      ['get', 'post', 'put', 'patch', 'delete']
        .filter((m) => item?.[m as OpenAPIV3.HttpMethods])
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/{user_id}/tasks',
        'POST /api/{user_id}/tasks',
        'GET /api/{user_id}/tasks/changes',
        'GET /api/{user_id}/tasks/{task_id}',
        'PUT /api/{user_id}/tasks/{task_id}',
        'PATCH /api/{user_id}/tasks/{task_id}',
        'PATCH /api/{user_id}/tasks/{task_id}/complete',
        'DELETE /api/{user_id}/tasks/{task_id}',
        'GET /health',
        'GET /health/live',
        'GET /health/ready',
        'GET /health/db',
        'GET /metrics',
      ].sort(),
    );
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(doc.components?.schemas?.ErrorCode).toMatchObject({ enum: errorCodes() });
    // Swagger UI shows both: the description on top, the scheme's in the Authorize dialog.
    expect(doc.info.description).toContain('`npm run -s token -- alice`');
    const bearer = doc.components?.securitySchemes?.bearer as OpenAPIV3.HttpSecurityScheme;
    expect(bearer.description).toContain('`npm run -s token -- alice`');
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const op = item?.[method];
        if (!op) continue;
        if (path.startsWith('/api/')) {
          expect(op.security).toEqual([{ bearer: [] }]);
          for (const status of ['400', '401', '403', '429', '500', '503']) {
            expect(Object.keys(op.responses)).toContain(status);
          }
          const unauthorized = op.responses['401'] as OpenAPIV3.ResponseObject;
          expect(Object.keys(unauthorized.headers ?? {})).toContain('WWW-Authenticate');
        } else {
          expect(op.security).toEqual([]);
        }
      }
    }
  });
});
