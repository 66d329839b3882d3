import { Injectable, OnModuleInit, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { JsonBodyPipe } from './json-body.pipe';

/**
 * The handlers of `controller` that take a `@Body()` without a JsonBodyPipe on it, as
 * `Controller.method`. There is no global validation pipe, so such a body would reach its
 * handler unchecked.
 */
export function uncheckedBodies(controller: Type): string[] {
  const found: string[] = [];
  for (const method of Object.getOwnPropertyNames(controller.prototype)) {
    const args =
      (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) as
        Record<string, { pipes?: unknown[] }> | undefined) ?? {};
    for (const [key, arg] of Object.entries(args)) {
      if (Number(key.split(':')[0]) !== Number(RouteParamtypes.BODY)) continue;
      if (!(arg.pipes ?? []).some((pipe) => pipe instanceof JsonBodyPipe)) {
        found.push(`${controller.name}.${method}`);
      }
    }
  }
  return found;
}

/**
 * Refuses to start an app in which any controller, the ones added later included, takes a body
 * without its checks: use `@ValidBody(TheDto)`.
 */
@Injectable()
export class BodyValidationCheck implements OnModuleInit {
  constructor(private readonly modules: ModulesContainer) {}

  onModuleInit(): void {
    const unchecked = [...this.modules.values()]
      .flatMap((module) => [...module.controllers.values()])
      .flatMap((wrapper) => uncheckedBodies(wrapper.metatype as Type));
    if (unchecked.length > 0) {
      throw new Error(
        `@Body() without its checks in ${unchecked.join(', ')}: take the body with @ValidBody(TheDto)`,
      );
    }
  }
}
