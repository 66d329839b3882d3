import { randomUUID } from 'node:crypto';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import type { Environment } from '../../src/config/environment';
import { HttpClient } from './http';

/** A user of its own for one test: a unique id, a client with its token, its tasks path. */
export interface TestUser {
  userId: string;
  api: HttpClient;
  tasks: string;
}

export interface TestApp {
  /** The Nest application, for its providers and its Fastify instance. */
  readonly nest: NestFastifyApplication;
  /** e.g. http://127.0.0.1:41234, no trailing slash */
  readonly url: string;
  /** A client without a token; `http.asUser(id)` gives one with a token. */
  readonly http: HttpClient;
  /** A provider of the running app, e.g. `app.get(TasksService)`. */
  get<T>(type: Type<T>): T;
  newUser(): Promise<TestUser>;
  /** Closes the app (its database pool included); the database itself is the test's to drop. */
  close(): Promise<void>;
}

/**
 * The one way to run the application in a test process: the real app as main.ts builds it, on a
 * loopback socket (port 0), with `env` (usually `testEnvironment(db.url, overrides)`).
 * `extraModules` (tests only) mounts probe controllers. If startup fails, the app is closed and the
 * error is thrown as startup threw it.
 */
export async function startTestApp(
  env: Environment,
  options: { extraModules?: Array<Type | DynamicModule> } = {},
): Promise<TestApp> {
  const nest = await createApp(env, options);
  try {
    await nest.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await nest.close();
    throw error;
  }
  const { port } = nest.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const http = new HttpClient(url);
  return {
    nest,
    url,
    http,
    get: (type) => nest.get(type),
    async newUser() {
      const userId = `user-${randomUUID()}`;
      return { userId, api: await http.asUser(userId), tasks: `/api/${userId}/tasks` };
    },
    close: () => nest.close(),
  };
}
