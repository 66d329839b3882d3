import { Controller, Get, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public } from '../../src/core/auth/decorators';
import { startTestApp, TestApp } from '../support/test-app';

@Controller('middleware-probe')
class MiddlewareProbeController {
  @Public()
  @Get()
  probe() {
    return { ok: true };
  }
}

/** A Nest middleware, mounted the way the Nest docs show. */
@Module({ controllers: [MiddlewareProbeController] })
class MiddlewareProbeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_req: IncomingMessage, res: ServerResponse, next: () => void) => {
        res.setHeader('x-probe-middleware', 'ran');
        next();
      })
      .forRoutes(MiddlewareProbeController);
  }
}

describe('Nest middleware', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      database: { migrate: false },
      extraModules: [MiddlewareProbeModule],
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('can be added to the app and runs on its routes', async () => {
    // raw(): a test-only route, which openapi.json does not describe.
    const res = await app.http.raw('GET', '/middleware-probe');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-probe-middleware')).toBe('ran');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.body).toEqual({ ok: true });
  });
});
