import { Injectable, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ERRORS } from '../errors/api-error';
import { addRouteHook } from '../http/route-config';
import {
  missingCredentials,
  VerificationUnavailableError,
  verificationFailure,
} from './auth.errors';
import { bearerToken } from './bearer';
import { type AuthenticatedUser, isPublicRoute } from './decorators';
import { TokenVerifier } from './token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every route not `@Public()`; read it with `@CurrentUser()`. */
    user: AuthenticatedUser | null;
  }
}

/** While the JWKS or session store is unreachable: one log line per interval, not per request. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/** Per-client bound on costly verifications: spent before each, given back by a valid token. */
export abstract class VerificationBudget {
  abstract spend(request: FastifyRequest): Promise<() => void>;
}

/** A valid bearer token on every route not `@Public()`; a hook, so 401 comes before the body. */
@Injectable()
export class AuthenticationHook {
  private lastOutageLog = 0;

  constructor(
    private readonly verifier: TokenVerifier,
    @InjectPinoLogger('Auth') private readonly logger: PinoLogger,
    @Optional() private readonly budget?: VerificationBudget,
  ) {}

  readonly onRoute = (route: RouteOptions): void => {
    if (isPublicRoute(route.config)) return;
    addRouteHook(route, 'onRequest', this.onRequest);
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
    const budget = this.budget;
    let refund: (() => void) | undefined;
    const spend = budget && (async () => void (refund = await budget.spend(request)));
    this.verifier.verify(token, spend).then(
      (user) => {
        refund?.();
        done(admit(request, user));
      },
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
  if (pathUser !== undefined && pathUser !== user.id) {
    return ERRORS.forbidden.error('The token does not grant access to this user');
  }
  request.user = user;
  return undefined;
}
