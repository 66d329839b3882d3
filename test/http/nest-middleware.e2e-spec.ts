import { Controller, Get, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public } from '../../src/auth/public.decorator';
import { RunningApp, startTestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

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
  let db: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    app = await startTestApp(db.env, { extraModules: [MiddlewareProbeModule] });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('can be added to the app and runs on its routes', async () => {
    const res = await fetch(`${app.url}/middleware-probe`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-probe-middleware')).toBe('ran');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await res.json()).toEqual({ ok: true });
  });
});
