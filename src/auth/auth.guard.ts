import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationError, AuthUnavailableError, PathUserMismatchError } from './auth.errors';
import { bearerToken } from './bearer';
import { isApiRoute } from './protected-routes';
import {
  AuthenticatedUser,
  KeySetUnavailableError,
  TokenRejectedError,
  TokenVerifier,
} from './token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AuthGuard on every /api route; read it with `@CurrentUser()`. */
    user: AuthenticatedUser | null;
  }
}

export const REALM = 'tasks-api';
/** RFC 6750 3.1: no error code when the request carried no bearer credentials at all. */
export const CHALLENGE_MISSING = `Bearer realm="${REALM}"`;
const challengeInvalid = (description: string) =>
  `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`;
const CHALLENGE_EXPIRED = challengeInvalid('The access token expired');
const CHALLENGE_INVALID = challengeInvalid('The access token is invalid');
/** Seconds a client should wait when the identity provider's keys cannot be fetched. */
export const AUTH_UNAVAILABLE_RETRY_AFTER_S = '5';
/** One log line per this interval while the JWKS is unreachable, not one per request. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Global guard: on every /api route, requires a valid bearer token, exposes its `sub` as
 * `request.user`, and refuses (403) a token for another user than the path's `:user_id`, so
 * controllers can trust `:user_id`. Runs before the rate limiter, which counts per user.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private lastOutageLog = 0;

  constructor(private readonly verifier: TokenVerifier) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!isApiRoute(request.routeOptions.url)) return true;
    const reply = http.getResponse<FastifyReply>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      reply.header('WWW-Authenticate', CHALLENGE_MISSING);
      throw new AuthenticationError(
        'UNAUTHORIZED',
        request.headers.authorization === undefined
          ? 'Authorization header is missing'
          : 'Authorization header must be "Bearer <token>"',
      );
    }
    const known = this.verifier.cached(token);
    if (known !== undefined) return admit(request, known);
    return this.verifier.verify(token).then(
      (user) => admit(request, user),
      (error: unknown) => {
        throw this.refusal(error, reply);
      },
    );
  }

  private refusal(error: unknown, reply: FastifyReply): Error {
    if (error instanceof TokenRejectedError) {
      if (error.reason === 'expired') {
        reply.header('WWW-Authenticate', CHALLENGE_EXPIRED);
        return new AuthenticationError('TOKEN_EXPIRED', 'Token has expired');
      }
      reply.header('WWW-Authenticate', CHALLENGE_INVALID);
      const details: Record<string, string> = { reason: error.reason };
      if (error.claim !== undefined) details.claim = error.claim;
      return new AuthenticationError('INVALID_TOKEN', 'Token is invalid', details);
    }
    if (error instanceof KeySetUnavailableError) {
      const now = Date.now();
      if (now - this.lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = now;
        this.logger.error(`cannot verify tokens: ${error.message}`);
      }
      reply.header('Retry-After', AUTH_UNAVAILABLE_RETRY_AFTER_S);
      return new AuthUnavailableError();
    }
    return error as Error;
  }
}

function admit(request: FastifyRequest, user: AuthenticatedUser): true {
  const pathUser = (request.params as { user_id?: string } | undefined)?.user_id;
  if (pathUser !== undefined && pathUser !== user.id) throw new PathUserMismatchError();
  request.user = user;
  return true;
}
