import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { LifecycleState } from '../ops/lifecycle';
import { loadAppConfig } from '../../app.module';
import { HttpConfig } from './http.config';
import { EventEmitter } from 'node:events';
import {
  bodyLeftUnread,
  ConnectionCloseHook,
  LINGER_MAX_BYTES,
  LINGER_MS,
  lingerOnClose,
} from './connection-close.hook';
import { LARGE_RESPONSE_CHARS, WRITE_STALL_TIMEOUT_MS } from './connection-limits';

const raw = (headers: Record<string, string>, readableEnded = false) =>
  ({ headers, readableEnded, socket: { setTimeout: jest.fn() } }) as unknown as IncomingMessage;
const env = loadAppConfig({ DATABASE_URL: 'postgres://u@h/db', AUTH_JWT_SECRET: 's' }).get(
  HttpConfig,
);

describe('ConnectionCloseHook', () => {
  const run = (
    hook: ConnectionCloseHook,
    statusCode = 200,
    request = raw({}),
    payload: unknown = 'body',
  ) => {
    const reply = { header: jest.fn(), statusCode };
    const done = jest.fn();
    hook.onSend(
      { raw: request } as FastifyRequest,
      reply as unknown as FastifyReply,
      payload,
      done,
    );
    return { reply, done, setTimeout: request.socket.setTimeout as jest.Mock };
  };

  it('leaves the connection alone while serving, closes it once shutting down', () => {
    const lifecycle = new LifecycleState();
    const hook = new ConnectionCloseHook(lifecycle, env);
    const serving = run(hook);
    expect(serving.reply.header).not.toHaveBeenCalled();
    expect(serving.done).toHaveBeenCalledWith(null, 'body');
    lifecycle.isShuttingDown = true;
    const draining = run(hook);
    expect(draining.reply.header).toHaveBeenCalledWith('Connection', 'close');
    expect(draining.done).toHaveBeenCalledWith(null, 'body');
  });

  it('closes, lingering, after a refusal whose body was not read', () => {
    const hook = new ConnectionCloseHook(new LifecycleState(), env);
    const unread = raw({ 'content-length': '1000000' });
    expect(run(hook, 401, unread).reply.header).toHaveBeenCalledWith('Connection', 'close');
    // Read to its end (a 400 for its content), or no body at all: the connection is kept.
    const read = raw({ 'content-length': '10' }, true);
    expect(run(hook, 400, read).reply.header).not.toHaveBeenCalled();
    expect(run(hook, 404).reply.header).not.toHaveBeenCalled();
    // A success never pays for the check.
    expect(run(hook, 201, unread).reply.header).not.toHaveBeenCalled();
  });

  it('gives a large answer the short write-stall timeout, and leaves a small one alone', () => {
    const hook = new ConnectionCloseHook(new LifecycleState(), env);
    const big = 'x'.repeat(LARGE_RESPONSE_CHARS + 1);
    expect(run(hook, 200, raw({}), big).setTimeout).toHaveBeenCalledWith(WRITE_STALL_TIMEOUT_MS);
    const buffer = Buffer.alloc(LARGE_RESPONSE_CHARS + 1);
    expect(run(hook, 200, raw({}), buffer).setTimeout).toHaveBeenCalledTimes(1);
    expect(run(hook, 200, raw({}), 'small').setTimeout).not.toHaveBeenCalled();
    expect(run(hook, 200, raw({}), undefined).setTimeout).not.toHaveBeenCalled();
  });

  it('allows a large write less silence than a request, never more', () => {
    const fast = loadAppConfig({
      DATABASE_URL: 'postgres://u@h/db',
      AUTH_JWT_SECRET: 's',
      AUTH_JWKS_TIMEOUT_MS: '100',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    }).get(HttpConfig);
    expect(fast.socketTimeoutMs).toBeLessThan(WRITE_STALL_TIMEOUT_MS);
    const hook = new ConnectionCloseHook(new LifecycleState(), fast);
    const big = 'x'.repeat(LARGE_RESPONSE_CHARS + 1);
    expect(run(hook, 200, raw({}), big).setTimeout).toHaveBeenCalledWith(fast.socketTimeoutMs);
  });
});

describe('bodyLeftUnread', () => {
  it('is true only for an announced body not read to its end', () => {
    expect(bodyLeftUnread(raw({ 'content-length': '5' }))).toBe(true);
    expect(bodyLeftUnread(raw({ 'transfer-encoding': 'chunked' }))).toBe(true);
    expect(bodyLeftUnread(raw({ 'content-length': '5' }, true))).toBe(false);
    expect(bodyLeftUnread(raw({ 'content-length': '0' }))).toBe(false);
    expect(bodyLeftUnread(raw({}))).toBe(false);
  });
});

describe('lingerOnClose', () => {
  const lingering = () => {
    const socket = Object.assign(new EventEmitter(), {
      bytesRead: 100,
      end: jest.fn(),
      destroy: jest.fn(),
      destroySoon: undefined as unknown as () => void,
    });
    const request = Object.assign(new EventEmitter(), { socket });
    lingerOnClose(request as unknown as IncomingMessage);
    socket.destroySoon();
    return { socket, request };
  };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('half-closes after the answer, then reads for at most LINGER_MS', () => {
    const { socket } = lingering();
    expect(socket.end).toHaveBeenCalled();
    jest.advanceTimersByTime(LINGER_MS - 1);
    expect(socket.destroy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('closes past LINGER_MAX_BYTES, or once the body has ended', () => {
    const big = lingering();
    big.socket.bytesRead += LINGER_MAX_BYTES;
    big.request.emit('data');
    expect(big.socket.destroy).not.toHaveBeenCalled();
    big.socket.bytesRead += 1;
    big.request.emit('data');
    expect(big.socket.destroy).toHaveBeenCalled();
    const ended = lingering();
    ended.request.emit('end');
    expect(ended.socket.destroy).toHaveBeenCalled();
    ended.socket.emit('close');
    expect(jest.getTimerCount()).toBe(1);
  });
});
