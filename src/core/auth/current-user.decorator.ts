import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface AuthenticatedUser {
  /** The token's `sub`, or the Better Auth session's `userId`. */
  readonly id: string;
}

/**
 * The request's user (the hook checked it against the route's `:user_id`); a controller passes it
 * down as the owner. On a `@Public()` route there is none: a programming error, so it throws.
 */
export function currentUser(_data: unknown, context: ExecutionContext): AuthenticatedUser {
  // The request is the first handler argument; switchToHttp() would build three closures per call.
  const user = context.getArgByIndex<FastifyRequest>(0).user;
  if (!user) throw new Error('@CurrentUser() used on a @Public() route, which has no user');
  return user;
}

export const CurrentUser = createParamDecorator(currentUser);
