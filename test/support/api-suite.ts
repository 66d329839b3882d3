import { randomUUID } from 'node:crypto';
import type { TaskResponse } from '../../src/tasks/dto/task.response';
import { AUTH_TEST_ENV, tokenFor } from './auth';
import { HttpClient } from './http';
import { OpenApiValidator } from './openapi-validator';
import { RunningApp, startTestApp } from './test-app';
import { createTestDatabase, testEnvironment, TestDatabase } from './test-database';

/** Task fields as the API returns them. */
export type TaskBody = TaskResponse;

export interface ApiSuite {
  db: TestDatabase;
  running: RunningApp;
  validator: OpenApiValidator;
  /** A client without a token. */
  anonymous: HttpClient;
  /** A new user id and a client carrying that user's token. */
  newUser(): Promise<{ userId: string; api: HttpClient; tasks: string }>;
  close(): Promise<void>;
}

/** A fresh database, the real app on a socket with the test JWT secret, and clients for users. */
export async function startApiSuite(): Promise<ApiSuite> {
  const db = await createTestDatabase();
  const validator = new OpenApiValidator();
  let running: RunningApp;
  try {
    running = await startTestApp(testEnvironment(db.url, AUTH_TEST_ENV));
  } catch (error) {
    await db.drop();
    throw error;
  }
  const anonymous = new HttpClient(running.url, validator);
  return {
    db,
    running,
    validator,
    anonymous,
    async newUser() {
      const userId = `user-${randomUUID()}`;
      return {
        userId,
        api: anonymous.withToken(await tokenFor(userId)),
        tasks: `/api/${userId}/tasks`,
      };
    },
    async close() {
      await running.close();
      await db.drop();
    },
  };
}
