import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from './token-verifier';

/**
 * The authenticated user of an /api route (the authentication hook has already checked that
 * `:user_id`, when the route has one, is this user). On a route the hook does not cover it is a
 * programming error, so it throws rather than hand a handler `null`.
 */
export function currentUser(_data: unknown, context: ExecutionContext): AuthenticatedUser {
  const user = context.switchToHttp().getRequest<FastifyRequest>().user;
  if (!user) throw new Error('@CurrentUser() used on a route that authentication does not cover');
  return user;
}

export const CurrentUser = createParamDecorator(currentUser);
