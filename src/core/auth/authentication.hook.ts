import { Injectable } from '@nestjs/common';
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  missingCredentials,
  pathUserMismatch,
  VerificationUnavailableError,
  verificationFailure,
} from './auth.errors';
import { bearerToken } from './bearer';
import type { AuthenticatedUser } from './current-user.decorator';
import { isPublicRoute } from './public.decorator';
import { TokenVerifier } from './token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every route that is not `@Public()` by the authentication hook; read it with `@CurrentUser()`. */
    user: AuthenticatedUser | null;
  }
}

/** One log line per this interval while the JWKS or session store is unreachable, not one per request. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Authentication of every route that is not `@Public()`: a valid bearer token is required, its
 * subject becomes `request.user`, and a token for another user than the route's `:user_id` is
 * refused (403): the one place that path segment is checked.
 *
 * `onRoute` attaches the hook to each route as it is registered, so nothing decides by URL and a
 * route nobody marked is protected. A Fastify onRequest hook rather than a guard: it runs before
 * the body is read, so a caller without a valid token gets its 401 before any body is parsed, and
 * body errors (400, 413, 415) are only shown to authenticated callers. The rate limiter (a guard)
 * runs after it and counts per user.
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
    _reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) return done(missingCredentials(request.headers.authorization));
    const known = this.verifier.cached(token);
    if (known !== undefined) return done(admit(request, known));
    this.verifier.verify(token).then(
      (user) => done(admit(request, user)),
      (error: unknown) => {
        if (error instanceof VerificationUnavailableError) this.logOutage(error);
        done(verificationFailure(error));
      },
    );
  };

  private logOutage(error: Error): void {
    const now = Date.now();
    if (now - this.lastOutageLog < OUTAGE_LOG_INTERVAL_MS) return;
    this.lastOutageLog = now;
    this.logger.error(`cannot verify tokens: ${error.message}`);
  }
}

/** undefined when the user may go on (and is now `request.user`), else the 403 to answer. */
function admit(request: FastifyRequest, user: AuthenticatedUser): Error | undefined {
  const pathUser = (request.params as { user_id?: string } | undefined)?.user_id;
  if (pathUser !== undefined && pathUser !== user.id) return pathUserMismatch();
  request.user = user;
  return undefined;
}
