import { Injectable } from '@nestjs/common';
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AuthenticationError, AuthUnavailableError, PathUserMismatchError } from './auth.errors';
import { bearerToken } from './bearer';
import { isPublicRoute } from './public.decorator';
import {
  AuthenticatedUser,
  TokenRejectedError,
  TokenVerifier,
  VerificationUnavailableError,
} from './token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every route that is not `@Public()` by the authentication hook; read it with `@CurrentUser()`. */
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
/** One log line per this interval while the JWKS or session store is unreachable, not one per request. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Authentication of every route that is not `@Public()`: requires a valid bearer token, exposes
 * its subject as `request.user`, and refuses (403) a token for another user than the route's
 * `:user_id`, the one place that path segment is checked.
 *
 * `onRoute` attaches `onRequest` to each route as it is registered, unless its config says public,
 * so nothing decides by URL and a route nobody marked is protected. An onRequest hook rather than
 * a Nest guard: it runs before the body is read, so a caller without a valid token is answered
 * 401 without the server parsing (or buffering up to the limit of) a body it will not use, and
 * errors of the body (400, 413, 415) are only ever shown to authenticated callers. Its errors are
 * rendered by the global exceptions filter like any other. The rate limiter (a guard) runs after
 * it and counts per user.
 */
@Injectable()
export class AuthenticationHook {
  private lastOutageLog = 0;

  constructor(
    private readonly verifier: TokenVerifier,
    @InjectPinoLogger('Auth') private readonly logger: PinoLogger,
  ) {}

  /** Fastify onRoute: protects the route unless its config says `public`. */
  readonly onRoute = (route: RouteOptions): void => {
    if (isPublicRoute(route.config)) return;
    const own = route.onRequest;
    const hooks: onRequestHookHandler[] = own === undefined ? [] : [own].flat();
    route.onRequest = [...hooks, this.onRequest];
  };

  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      reply.header('WWW-Authenticate', CHALLENGE_MISSING);
      return done(
        new AuthenticationError(
          'UNAUTHORIZED',
          request.headers.authorization === undefined
            ? 'Authorization header is missing'
            : 'Authorization header must be "Bearer <token>"',
        ),
      );
    }
    const known = this.verifier.cached(token);
    if (known !== undefined) return done(admit(request, known));
    this.verifier.verify(token).then(
      (user) => done(admit(request, user)),
      (error: unknown) => done(this.refusal(error, reply)),
    );
  };

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
    if (error instanceof VerificationUnavailableError) {
      const now = Date.now();
      if (now - this.lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = now;
        this.logger.error(`cannot verify tokens: ${error.message}`);
      }
      return new AuthUnavailableError();
    }
    return error as Error;
  }
}

/** undefined when the user may go on (and is now `request.user`), else the 403 to answer. */
function admit(request: FastifyRequest, user: AuthenticatedUser): Error | undefined {
  const pathUser = (request.params as { user_id?: string } | undefined)?.user_id;
  if (pathUser !== undefined && pathUser !== user.id) return new PathUserMismatchError();
  request.user = user;
  return undefined;
}
