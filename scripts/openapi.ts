// `npm run openapi`: writes openapi.json at the repository root from the controllers' decorators.
// The app module is built in preview mode (no provider is instantiated), so no database is needed;
// DATABASE_URL and AUTH_JWT_SECRET only have to pass config validation and are never used.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule, loadAppConfig } from '../src/app.module';
import { buildOpenApiDocument, serializeOpenApiDocument } from '../src/core/openapi/openapi';

export const OPENAPI_FILE = join(__dirname, '..', 'openapi.json');

/** The document the code describes, as openapi.json should hold it. */
export async function generateOpenApi(): Promise<string> {
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://openapi@localhost:5432/never-connected',
    // Config validation wants a token key source; preview mode never verifies a token.
    AUTH_JWT_SECRET: 'openapi-generation-never-verifies-a-token',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter(),
    {
      preview: true,
      abortOnError: false,
      logger: false,
    },
  );
  try {
    return serializeOpenApiDocument(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  generateOpenApi()
    .then((text) => {
      writeFileSync(OPENAPI_FILE, text);
      process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
    })
    .catch((error: unknown) => {
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`openapi generation failed: ${reason}\n`);
      process.exit(1);
    });
}
