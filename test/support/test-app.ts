import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import type { Environment } from '../../src/config/environment';

export interface RunningApp {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:41234, no trailing slash */
  url: string;
  close(): Promise<void>;
}

/** The real application on a real socket (port 0), as main.ts builds it. */
export async function startTestApp(env: Environment): Promise<RunningApp> {
  const app = await createApp(env);
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
