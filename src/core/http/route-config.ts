import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token: `@Public()` on a Nest handler, `config: PUBLIC_ROUTE` on a raw route. */
    public?: boolean;
    /** The field of the answer that is its version (its ETag): `@Conditional(field)`. */
    version?: string;
  }
}

/**
 * Adds `config` to the Fastify route config of a handler or of a controller's handlers, read by the
 * onRoute hooks. Merged, as `@RouteConfig` is not: write `@RouteConfig` below, or it replaces it.
 */
export function WithRouteConfig(config: object): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) return merge(descriptor.value as object, config);
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof method === 'function') merge(method, config);
    }
  };
}

function merge(handler: object, config: object): void {
  const own = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as object;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...own, ...config }, handler);
}

type RouteHookName = 'onRequest' | 'preParsing' | 'preHandler' | 'preSerialization' | 'onSend';

/** In an onRoute hook: `hook` runs on this route only, after the route's own hooks of `name`. */
export function addRouteHook(route: RouteOptions, name: RouteHookName, hook: unknown): void {
  const own: unknown = route[name];
  const hooks = own === undefined ? [] : [own].flat();
  (route as unknown as Record<RouteHookName, unknown[]>)[name] = [...hooks, hook];
}
