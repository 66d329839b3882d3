import { expect } from '@jest/globals'; // its asymmetric matchers are typed: test/README.md
import { PinoLogger } from 'nestjs-pino';
import { DatabaseStartupError } from '../../src/core/database/database-verifier';
import { SqlExecutor } from '../../src/core/database/sql-executor';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase, urlForDatabase } from '../support/test-database';

describe('database verification at startup (in process)', () => {
  let unmigrated: TestDatabase;

  beforeAll(async () => {
    unmigrated = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await unmigrated?.drop();
  });

  it('starts on a database without the schema, warning that migrations are pending', async () => {
    const warn = jest.spyOn(PinoLogger.prototype, 'warn');
    const app = await startTestApp({ database: unmigrated });
    try {
      expect(warn).toHaveBeenCalledWith(
        'database has pending migrations: run `npm run migration:run`',
      );
      expect(app.get(SqlExecutor).poolStats()).toEqual({
        total: expect.any(Number),
        idle: expect.any(Number),
        waiting: 0,
        max: 4,
      });
    } finally {
      warn.mockRestore();
      await app.close();
    }
  });

  it('refuses to start on a database that does not exist, saying so', async () => {
    // startTestApp closes the app it could not start, as this test used to itself.
    const error = await startTestApp({
      database: unmigrated,
      env: { DATABASE_URL: urlForDatabase('tasks_test_does_not_exist') },
    }).then(
      (app) => app.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect((error as Error).message).toMatch(
      /^database "tasks_test_does_not_exist" does not exist at [^ ]+:\d+$/,
    );
  });
});
