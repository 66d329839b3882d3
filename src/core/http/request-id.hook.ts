import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id';

/** onRequest: echoes the request's id (chosen by `requestIdFor` as Fastify's genReqId). */
@Injectable()
export class RequestIdHook {
  readonly onRequest = (
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  };
}
