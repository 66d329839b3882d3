import { generateKeyPair } from 'jose';
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { deadUrl } from '../support/jwks-server';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';

const REQUESTS = 200;

describe('expected errors in the log (the built app, an unreachable JWKS)', () => {
  let db: TestDatabase;
  let app: BuiltApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBuiltApp({
      DATABASE_URL: db.url,
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: await deadUrl(),
      AUTH_AUDIENCE: 'tasks-api',
      RATE_LIMIT_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await app?.kill();
    await db?.drop();
  });

  it(`answers ${REQUESTS} requests 503 and logs the cause once, without a stack`, async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await tokenFor(
      'alice',
      { aud: 'tasks-api' },
      { key: privateKey, alg: 'ES256', kid: 'k' },
    );
    const statuses = [];
    for (let batch = 0; batch < REQUESTS / 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => app.http.raw('GET', '/api/alice/tasks', { token })),
      );
      statuses.push(...answers.map((res) => res.status));
    }
    expect(new Set(statuses)).toEqual(new Set([503]));
    const failures = app
      .logs()
      .filter((line) => line.msg === 'request failed: service unavailable');
    expect(failures).toHaveLength(1);
    expect(app.output()).not.toMatch(/\n\s+at /);
  });
});
