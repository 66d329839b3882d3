import { Injectable } from '@nestjs/common';
import type { preParsingHookHandler, RouteOptions } from 'fastify';
import type { Server } from 'node:http';

/** Methods whose requests carry a body the API reads. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `Expect: 100-continue` answered only once the request may send its body. Node answers
 * `100 Continue` as soon as the headers arrive unless the server listens for 'checkContinue';
 * `deferContinue` listens and serves the request as any other, so the authentication hook runs
 * first and a refusal (401, 403) goes out without a 100, and the client never sends the body.
 * `preParsing`, which Fastify runs just before it reads the body, sends the 100.
 */
@Injectable()
export class ExpectContinueHook {
  deferContinue(server: Server): void {
    server.on('checkContinue', (req, res) => server.emit('request', req, res));
  }

  /** Fastify onRoute: only routes that read a body pay for the hook. */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = [route.method].flat();
    if (!methods.some((method) => BODY_METHODS.has(method))) return;
    const own = route.preParsing === undefined ? [] : [route.preParsing].flat();
    route.preParsing = [...own, this.preParsing];
  };

  readonly preParsing: preParsingHookHandler = (request, reply, payload, done): void => {
    // Node emits 'checkContinue' only for `100-continue`; any other expectation it answers 417.
    if (request.headers.expect !== undefined && !reply.raw.headersSent) reply.raw.writeContinue();
    done(null, payload);
  };
}
