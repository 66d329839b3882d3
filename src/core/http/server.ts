import type { Config } from '../config/config';
import { USER_ID_MAX_LENGTH } from '../validation/identifiers';
import { trustProxyOption } from './client-address';
import { connectionTimeouts } from './connection-limits';
import { HttpConfig } from './http.config';
import { BODY_LIMIT_BYTES } from './json-body-parser';
import { requestIdFor } from './response-headers.hook';
import { answerClientError, answerRouterError } from './server-errors';

export function serverOptions(config: Config) {
  const http = config.get(HttpConfig);
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    // A request arriving on a kept-alive connection while the listener closes gets a 503.
    return503OnClosing: true,
    ...connectionTimeouts(http),
    // The longest user id, astral code points percent-encoded as 12 characters each; else 414.
    routerOptions: { maxParamLength: USER_ID_MAX_LENGTH * 12 },
    // What the router and Node's parser refuse is answered in the contract's body too.
    frameworkErrors: answerRouterError,
    clientErrorHandler: answerClientError,
    // `request.ip` is the client behind TRUSTED_PROXIES, and only then: no one else chooses it.
    trustProxy: trustProxyOption(http.TRUSTED_PROXIES),
  };
}
