import { Controller, Get } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { isPublicRoute, Public, PUBLIC_ROUTE } from './decorators';

@Public()
@Controller('open')
class OpenController {
  @Get('a')
  a() {}

  @Get('b')
  @RouteConfig({ cors: false })
  b() {}
}

@Controller('mixed')
class MixedController {
  @Public()
  @RouteConfig({ cors: false })
  open() {}

  closed() {}
}

const configOf = (handler: object) =>
  Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as unknown;

describe('@Public()', () => {
  it('marks every handler of a controller, keeping route config set before it', () => {
    expect(configOf(OpenController.prototype.a)).toEqual({ public: true });
    expect(configOf(OpenController.prototype.b)).toEqual({ cors: false, public: true });
  });

  it('marks one handler, and only that one', () => {
    expect(configOf(MixedController.prototype.open)).toEqual({ cors: false, public: true });
    expect(configOf(MixedController.prototype.closed)).toBeUndefined();
  });

  it('is read from the route config, as raw routes write it', () => {
    expect(isPublicRoute(PUBLIC_ROUTE)).toBe(true);
    expect(isPublicRoute({ public: false })).toBe(false);
    expect(isPublicRoute(undefined)).toBe(false);
  });
});
