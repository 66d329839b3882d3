import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { Environment } from './config/environment';
import { installPipeline, serverOptions } from './http/pipeline';

/**
 * Builds the whole application, configured the same for `main.ts` and for the tests, so what the
 * tests exercise is what production runs. It does not listen.
 */
export async function createApp(
  env: Environment,
  options: { extraModules?: Array<Type | DynamicModule> } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, options.extraModules),
    new FastifyAdapter(serverOptions(env)),
    {
      bufferLogs: true,
      // Nest's parsers would accept forms; the contract takes JSON only (http/json-body-parser.ts).
      bodyParser: false,
      // Throw instead of process.abort(), so main.ts can say what went wrong and exit 1.
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  installPipeline(app, env);
  return app;
}
