import { ApiError } from './api-error';
import type { ArgumentsHost } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { DatabaseConnectionError } from '../database/pg-errors';
import { AllExceptionsFilter, ERROR_LOG_INTERVAL_MS, LogLimiter } from './all-exceptions.filter';

function harness(sent = false) {
  const reply = {
    sent,
    headers: jest.fn().mockReturnThis(),
    status: jest.fn().mockReturnThis(),
    type: jest.fn().mockReturnThis(),
    send: jest.fn().mockReturnThis(),
  };
  const request: { id: string; user?: { id: string } } = { id: 'req-1' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  const logger = { error: jest.fn(), warn: jest.fn() };
  const filter = new AllExceptionsFilter(logger as unknown as PinoLogger);
  return { reply, host, logger, filter, request };
}

describe('AllExceptionsFilter', () => {
  it('renders the error body with the request id; client errors are not logged', () => {
    const { reply, host, logger, filter } = harness();
    filter.catch(new ApiError(404, 'NOT_FOUND', 'Task not found'), host);
    expect(reply.status).toHaveBeenCalledWith(404);
    expect(reply.type).toHaveBeenCalledWith('application/json; charset=utf-8');
    expect(reply.send).toHaveBeenCalledWith({
      code: 'NOT_FOUND',
      message: 'Task not found',
      detail: 'Task not found',
      details: {},
      request_id: 'req-1',
    });
    expect(reply.headers).not.toHaveBeenCalled();
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs a 500 as an error with the cause, and shows the client nothing of it', () => {
    const { reply, host, logger, filter } = harness();
    const cause = new Error('password=hunter2 in the connection string');
    filter.catch(cause, host);
    expect(logger.error).toHaveBeenCalledWith(
      { err: cause, requestId: 'req-1', code: 'INTERNAL_ERROR' },
      'request failed: unexpected error',
    );
    const body = (reply.send.mock.calls as [{ message: string }][])[0][0];
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body.message).toBe('Internal server error');
  });

  it('names the user and the failed data-layer operation in the log line', () => {
    const { host, logger, filter, request } = harness();
    request.user = { id: 'alice' };
    const error = new DatabaseConnectionError('down');
    error.operation = 'list';
    filter.catch(error, host);
    expect(logger.warn).toHaveBeenCalledWith(
      {
        err: { type: 'DatabaseConnectionError', message: 'down' },
        requestId: 'req-1',
        code: 'SERVICE_UNAVAILABLE',
        userId: 'alice',
        operation: 'list',
      },
      'request failed: service unavailable',
    );
  });

  it('logs a 503 as a warning and sends Retry-After', () => {
    const { reply, host, logger, filter } = harness();
    filter.catch(new DatabaseConnectionError('down'), host);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(reply.headers).toHaveBeenCalledWith({ 'Retry-After': '5' });
    expect(reply.status).toHaveBeenCalledWith(503);
  });

  it('does not write to a reply that is already sent', () => {
    const { reply, host, filter } = harness(true);
    filter.catch(new ApiError(404, 'NOT_FOUND', 'Task not found'), host);
    expect(reply.send).not.toHaveBeenCalled();
  });

  it('logs a flood of the same 503 once, without a stack; another cause gets its own line', () => {
    const { host, logger, filter } = harness();
    for (let i = 0; i < 100; i++) filter.catch(new DatabaseConnectionError('down'), host);
    filter.catch(new DatabaseConnectionError('timeout'), host);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('    at ');
  });
});

describe('LogLimiter', () => {
  it('admits a cause once per interval and says how many it left out', () => {
    const limiter = new LogLimiter();
    expect(limiter.admit('a', 0)).toBe(0);
    expect(limiter.admit('a', 1)).toBeUndefined();
    expect(limiter.admit('a', ERROR_LOG_INTERVAL_MS - 1)).toBeUndefined();
    expect(limiter.admit('b', 2)).toBe(0);
    expect(limiter.admit('a', ERROR_LOG_INTERVAL_MS)).toBe(2);
  });

  it('forgets every cause past 256 rather than grow', () => {
    const limiter = new LogLimiter();
    for (let i = 0; i < 256; i++) limiter.admit(`cause ${i}`, 0);
    expect(limiter.admit('cause 0', 1)).toBeUndefined();
    expect(limiter.admit('one more', 1)).toBe(0);
    expect(limiter.admit('cause 0', 2)).toBe(0);
  });
});
