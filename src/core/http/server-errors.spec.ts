import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { answerClientError, answerRouterError, runOnServerErrors } from './server-errors';

function routerError(code: string, hooked = true) {
  const server = { addHook: jest.fn() } as unknown as FastifyInstance;
  const order: string[] = [];
  if (hooked) {
    runOnServerErrors(server, {
      onRequest: [(_q, _r, done) => (order.push('request id'), done())],
      onResponse: [(_q, _r, done) => (order.push('log'), done())],
    });
  }
  const raw = new EventEmitter();
  const reply = {
    raw,
    code: jest.fn().mockReturnThis(),
    type: jest.fn().mockReturnThis(),
    send: jest.fn(() => order.push('send')),
  };
  const request = { id: 'req-1', server } as unknown as FastifyRequest;
  answerRouterError({ code } as FastifyError, request, reply as unknown as FastifyReply);
  raw.emit('finish');
  return { reply, order };
}

describe('answerRouterError', () => {
  it('answers a URL that does not decode 400 in the contract body, with the hooks run', () => {
    const { reply, order } = routerError('FST_ERR_BAD_URL');
    expect(reply.code).toHaveBeenCalledWith(400);
    expect(reply.type).toHaveBeenCalledWith('application/json; charset=utf-8');
    expect(reply.send).toHaveBeenCalledWith({
      code: 'VALIDATION_ERROR',
      message: 'The URL is not validly encoded',
      detail: 'The URL is not validly encoded',
      details: {},
      request_id: 'req-1',
    });
    expect(order).toEqual(['request id', 'send', 'log']);
  });

  it('answers an over-long segment 414 and anything else 500, never echoing the path', () => {
    expect(routerError('FST_ERR_MAX_PARAM_LENGTH').reply.code).toHaveBeenCalledWith(414);
    const other = routerError('FST_ERR_ASYNC_CONSTRAINT', false);
    expect(other.reply.code).toHaveBeenCalledWith(500);
    expect(other.order).toEqual(['send']);
  });
});

function socket(destroyed = false, writable = true) {
  return { destroyed, writable, end: jest.fn(), destroy: jest.fn(), destroySoon: jest.fn() };
}
const clientError = (code: string, s = socket()) => {
  answerClientError(Object.assign(new Error('x'), { code }), s as unknown as Socket);
  return s;
};

describe('answerClientError', () => {
  it('writes the contract body with a request id and the security headers, then closes', () => {
    const s = clientError('HPE_INVALID_METHOD');
    const written = (s.end.mock.calls as string[][])[0][0];
    const [head, body] = written.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(head).toContain('\r\nx-content-type-options: nosniff\r\n');
    expect(head).toContain('\r\ncache-control: no-store\r\n');
    expect(head).toContain('\r\nConnection: close');
    expect(head).toContain(`\r\nContent-Length: ${Buffer.byteLength(body)}`);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'The request is not valid HTTP',
      detail: 'The request is not valid HTTP',
      details: {},
      request_id: expect.any(String) as unknown,
    });
    expect(head).toContain(`X-Request-Id: ${String(parsed.request_id)}`);
    expect(s.destroySoon).toHaveBeenCalled();
  });

  it('answers headers that are too large 431', () => {
    const written = (clientError('HPE_HEADER_OVERFLOW').end.mock.calls as string[][])[0][0];
    expect(written).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  });

  it('does not answer a client too slow to listen, nor a socket already gone', () => {
    const slow = clientError('ERR_HTTP_REQUEST_TIMEOUT');
    expect(slow.end).not.toHaveBeenCalled();
    expect(slow.destroy).toHaveBeenCalled();
    const unwritable = clientError('HPE_INVALID_METHOD', socket(false, false));
    expect(unwritable.destroy).toHaveBeenCalled();
    for (const gone of [clientError('ECONNRESET'), clientError('X', socket(true))]) {
      expect(gone.end).not.toHaveBeenCalled();
      expect(gone.destroy).not.toHaveBeenCalled();
    }
  });
});
