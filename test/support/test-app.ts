import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import type { Environment } from '../../src/config/environment';
import { createTestDatabase, TestDatabase } from './test-database';

export interface RunningApp {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:41234, no trailing slash */
  url: string;
  close(): Promise<void>;
}

/**
 * The real application on a real socket (port 0), as main.ts builds it; `extraModules` (tests
 * only) adds probe controllers.
 */
export async function startTestApp(
  env: Environment,
  options: { extraModules?: Array<Type | DynamicModule> } = {},
): Promise<RunningApp> {
  const app = await createApp(env, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** The real application, initialised (database opened and verified) but not listening. */
export async function initTestApp(env: Environment): Promise<NestFastifyApplication> {
  const app = await createApp(env);
  await app.init();
  return app;
}

/**
 * Registers a fresh migrated database and the real app on it for the enclosing `describe`
 * (created in beforeAll, closed and dropped in afterAll). Read the fields inside tests.
 */
export function useAppOnFreshDatabase(): {
  readonly db: TestDatabase;
  readonly running: RunningApp;
} {
  const context = {} as { db: TestDatabase; running: RunningApp };
  beforeAll(async () => {
    context.db = await createTestDatabase();
    context.running = await startTestApp(context.db.env);
  });
  afterAll(async () => {
    await context.running?.close();
    await context.db?.drop();
  });
  return context;
}
