import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token: `@Public()` on a Nest handler, `config: PUBLIC_ROUTE` on a raw route. */
    public?: boolean;
  }
}

export interface AuthenticatedUser {
  /** The token's `sub`, or the Better Auth session's `userId`. */
  readonly id: string;
}

/** The route config of a raw Fastify route that needs no token: `fastify.get(path, { config: PUBLIC_ROUTE }, …)`. */
export const PUBLIC_ROUTE = { public: true } as const;

export function isPublicRoute(config: { public?: boolean } | undefined): boolean {
  return config?.public === true;
}

/**
 * Serves a handler, or every handler of a controller, without a token. It sets Fastify's route
 * config, as `@RouteConfig` does: one written above it would replace it, so write `@Public()` on top.
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

/** The request's user (the hook checked it against `:user_id`); none on a `@Public()` route. */
export function currentUser(_data: unknown, context: ExecutionContext): AuthenticatedUser {
  // The request is the first handler argument; switchToHttp() would build three closures per call.
  const user = context.getArgByIndex<FastifyRequest>(0).user;
  if (!user) throw new Error('@CurrentUser() used on a @Public() route, which has no user');
  return user;
}

export const CurrentUser = createParamDecorator(currentUser);
