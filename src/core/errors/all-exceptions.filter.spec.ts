import { ApiError } from './api-error';
import type { ArgumentsHost } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { DatabaseConnectionError } from '../database/pg-errors';
import { AllExceptionsFilter } from './all-exceptions.filter';

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
        err: error,
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
});
