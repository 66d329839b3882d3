import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { WithRouteConfig } from '../http/route-config';

export interface AuthenticatedUser {
  /** The token's `sub`, or the Better Auth session's `userId`. */
  readonly id: string;
}

/** The route config of a raw Fastify route that needs no token: `fastify.get(path, { config: PUBLIC_ROUTE }, …)`. */
export const PUBLIC_ROUTE = { public: true } as const;

export function isPublicRoute(config: { public?: boolean } | undefined): boolean {
  return config?.public === true;
}

/** Serves a handler, or every handler of a controller, without a token. */
export const Public = (): ClassDecorator & MethodDecorator => WithRouteConfig(PUBLIC_ROUTE);

/** The request's user (the hook checked it against `:user_id`); none on a `@Public()` route. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  // The request is the first handler argument; switchToHttp() would build three closures per call.
  const user = context.getArgByIndex<FastifyRequest>(0).user;
  if (!user) throw new Error('@CurrentUser() used on a @Public() route, which has no user');
  return user;
});
