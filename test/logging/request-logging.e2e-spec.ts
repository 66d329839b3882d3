import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { BuiltApp, startBuiltApp } from '../support/built-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';

/** The fields of a request line these tests read. */
interface LogLine {
  msg?: string;
  latencyMs?: unknown;
  req?: { id?: string; headers: Record<string, string> };
  res?: { statusCode: number };
}

/** The JSON log lines the built app printed so far. */
const logLines = (app: BuiltApp) => app.logs() as LogLine[];

async function waitForLine(app: BuiltApp, match: (line: LogLine) => boolean): Promise<LogLine> {
  for (let i = 0; i < 50; i++) {
    const found = logLines(app).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no matching log line in:\n${app.output()}`);
}

describe('request logging (the built app, production settings)', () => {
  let db: TestDatabase;
  let app: BuiltApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBuiltApp({ DATABASE_URL: db.url, RATE_LIMIT_ENABLED: 'false' });
  });

  afterAll(async () => {
    await app?.kill();
    await db?.drop();
  });

  it('logs startup steps as JSON lines: config, database with latency, migrations, listening', () => {
    const messages = logLines(app).map((line) => String(line.msg));
    expect(messages.some((m) => m.startsWith('configuration loaded'))).toBe(true);
    const verified = logLines(app).find((line) => line.msg === 'database verified');
    expect(verified?.latencyMs).toEqual(expect.any(Number));
    expect(messages).toContain('database migrations up to date');
    expect(messages.some((m) => m.startsWith('listening on port'))).toBe(true);
  });

  it('logs one line per request with its id and allowlisted headers, never credentials', async () => {
    const token = await tokenFor('alice');
    const res = await app.http.get('/api/alice/tasks', {
      token,
      headers: {
        Cookie: 'session=cookie-secret-value',
        'X-Api-Key': 'api-key-secret-value',
        'User-Agent': 'log-test-agent/1.0',
        'X-Request-Id': 'log-test-123',
      },
    });
    expect(res.status).toBe(200);
    const line = await waitForLine(app, (l) => l.req?.id === 'log-test-123');
    expect(line).toMatchObject({
      msg: 'request completed',
      req: {
        idFromClient: true,
        method: 'GET',
        url: '/api/alice/tasks',
        headers: { 'user-agent': 'log-test-agent/1.0' },
        remoteAddress: '127.0.0.1',
      },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(Object.keys(line.req!.headers)).toEqual(['user-agent']);
    for (const secret of [token, 'cookie-secret-value', 'api-key-secret-value']) {
      expect(app.output()).not.toContain(secret);
    }
  });

  it('does not log successful health probes, but logs failed requests', async () => {
    await app.http.get('/health/live', { headers: { 'X-Request-Id': 'probe-1' } });
    await app.http.get('/nope', { headers: { 'X-Request-Id': 'missing-1' } });
    const failed = await waitForLine(app, (l) => l.req?.id === 'missing-1');
    expect(failed.res?.statusCode).toBe(404);
    expect(logLines(app).some((l) => l.req?.id === 'probe-1')).toBe(false);
  });
});
