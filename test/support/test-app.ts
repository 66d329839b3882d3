import { randomUUID } from 'node:crypto';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { HttpClient } from './http';
import { createTestDatabase, TestDatabase, testEnvironment } from './test-database';

/** A user of its own for one test: a unique id, a client with its token, its tasks path. */
export interface TestUser {
  userId: string;
  api: HttpClient;
  tasks: string;
}

export interface TestAppOptions {
  /**
   * The database: a fresh migrated one unless given. `{ migrate: false }` makes a fresh empty one;
   * a TestDatabase of the test's own is used as it is (and not dropped by close()).
   */
  database?: TestDatabase | { migrate: boolean };
  /** Variables on top of testEnvironment(): DATABASE_URL too, e.g. a proxy's in front of it. */
  env?: Record<string, string>;
  /** Test-only modules mounted inside the app, such as probe controllers. */
  extraModules?: Array<Type | DynamicModule>;
}

export interface TestApp {
  /** The database the app was started on (possibly reached through env.DATABASE_URL). */
  readonly db: TestDatabase;
  /** The Nest application, for its providers and its Fastify instance. */
  readonly nest: NestFastifyApplication;
  /** e.g. http://127.0.0.1:41234, no trailing slash */
  readonly url: string;
  /** A client without a token; `http.asUser(id)` gives one with a token. */
  readonly http: HttpClient;
  /** A provider of the running app, e.g. `app.get(TasksService)`. */
  get<T>(type: Type<T>): T;
  newUser(): Promise<TestUser>;
  /** Closes the app (its pool included), then drops the database if startTestApp made it. */
  close(): Promise<void>;
}

/**
 * The one way to run the application in a test process: the real app as main.ts builds it, with
 * testEnvironment() and `options.env`, on a loopback socket (port 0). If startup fails, what it
 * made is closed and dropped, and the error is thrown as startup threw it.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const given = options.database;
  const owned = given === undefined || !('url' in given);
  const db = owned ? await createTestDatabase({ migrate: given?.migrate ?? true }) : given;
  let nest: NestFastifyApplication | undefined;
  try {
    nest = await createApp(testEnvironment(db.url, options.env), {
      extraModules: options.extraModules,
    });
    await nest.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await nest?.close();
    if (owned) await db.drop();
    throw error;
  }
  const app = nest;
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const http = new HttpClient(url);
  return {
    db,
    nest: app,
    url,
    http,
    get: (type) => app.get(type),
    async newUser() {
      const userId = `user-${randomUUID()}`;
      return { userId, api: await http.asUser(userId), tasks: `/api/${userId}/tasks` };
    },
    async close() {
      await app.close();
      if (owned) await db.drop();
    },
  };
}
