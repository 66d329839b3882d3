import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { HealthController } from '../health/health.controller';
import { TasksController } from '../tasks/tasks.controller';
import { JsonBodyPipe } from './json-body.pipe';

/** Every controller of the app. */
const CONTROLLERS = [TasksController, HealthController];

/**
 * There is no global ValidationPipe, so a `@Body()` without a JsonBodyPipe would reach its
 * handler unchecked. This keeps a new route from doing that by accident.
 */
describe('request bodies', () => {
  it.each(CONTROLLERS.map((c) => [c.name, c] as const))(
    'every @Body() of %s is checked by a JsonBodyPipe',
    (_, controller) => {
      let bodies = 0;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args =
          (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) as
            Record<string, { pipes: unknown[] }> | undefined) ?? {};
        for (const [key, arg] of Object.entries(args)) {
          if (Number(key.split(':')[0]) !== Number(RouteParamtypes.BODY)) continue;
          bodies++;
          expect({ method, pipes: arg.pipes.some((p) => p instanceof JsonBodyPipe) }).toEqual({
            method,
            pipes: true,
          });
        }
      }
      if (controller === TasksController) expect(bodies).toBe(4);
    },
  );
});
