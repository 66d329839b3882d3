import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { Config } from './core/config/config';
import { installPipeline } from './core/http/pipeline';
import { serverOptions } from './core/http/server';

/** The whole application, built the same for `main.ts` and the tests; it does not listen. */
export async function createApp(
  config: Config,
  options: { extraModules?: Array<Type | DynamicModule> } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.extraModules),
    new FastifyAdapter(serverOptions(config)),
    // JSON only (core/http/json-body-parser.ts); throw rather than abort, so main.ts says why.
    { bufferLogs: true, bodyParser: false, abortOnError: false },
  );
  // Nest's info lines (a line per module and per route at every start) are left out.
  app.useLogger(Object.assign(Object.create(app.get(Logger)) as Logger, { log: () => undefined }));
  app.flushLogs();
  installPipeline(app, config);
  return app;
}
