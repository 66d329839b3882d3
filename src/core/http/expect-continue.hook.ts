import { Injectable } from '@nestjs/common';
import type { preParsingHookHandler, RouteOptions } from 'fastify';
import type { Server } from 'node:http';
import { addRouteHook } from './route-config';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `100 Continue` only once authenticated (Node sends it at once): a 401 saves sending the body. */
@Injectable()
export class ExpectContinueHook {
  deferContinue(server: Server): void {
    server.on('checkContinue', (req, res) => server.emit('request', req, res));
  }

  readonly onRoute = (route: RouteOptions): void => {
    if ([route.method].flat().some((method) => BODY_METHODS.has(method)))
      addRouteHook(route, 'preParsing', this.preParsing);
  };

  readonly preParsing: preParsingHookHandler = (request, reply, payload, done): void => {
    // Node emits 'checkContinue' only for `100-continue`; any other expectation it answers 417.
    if (request.headers.expect !== undefined && !reply.raw.headersSent) reply.raw.writeContinue();
    done(null, payload);
  };
}
