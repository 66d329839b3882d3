import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token: `@Public()` on a Nest handler, `config: PUBLIC_ROUTE` on a raw route. */
    public?: boolean;
  }
}

/** The route config of a raw Fastify route that needs no token: `fastify.get(path, { config: PUBLIC_ROUTE }, …)`. */
export const PUBLIC_ROUTE = { public: true } as const;

export function isPublicRoute(config: { public?: boolean } | undefined): boolean {
  return config?.public === true;
}

/**
 * Serves a handler, or every handler of a controller, without a token; every other route needs
 * one. It sets Fastify's route config (what `@RouteConfig` sets), as raw routes do: a
 * `@RouteConfig` written above it would replace it, so write `@Public()` on top.
 */
export function Public(): ClassDecorator & MethodDecorator {
  const decorate = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor) {
      markPublic(descriptor.value as object);
      return descriptor;
    }
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (name !== 'constructor' && typeof method === 'function') markPublic(method);
    }
    return undefined;
  };
  return decorate as ClassDecorator & MethodDecorator;
}

function markPublic(handler: object): void {
  const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}) as object;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, ...PUBLIC_ROUTE }, handler);
}
