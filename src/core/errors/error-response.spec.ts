import {
  BadRequestException,
  HttpException,
  HttpStatus,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { DatabaseConnectionError, DataLayerError, InvalidInputError } from '../database/pg-errors';
import { ApiError, RETRY_AFTER_S, validationError } from './api-error';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('maps the data layer: not found, validation (with and without a field), unavailable', () => {
    expect(toErrorResponse(new ApiError(404, 'NOT_FOUND', 'Task not found'))).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      message: 'Task not found',
      details: {},
    });
    expect(toErrorResponse(new InvalidInputError('Value too long', 'title'))).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Value too long',
      details: { fields: { title: ['Value too long'] } },
    });
    expect(toErrorResponse(new InvalidInputError('Nothing to update')).details).toEqual({
      fields: {},
    });
    expect(toErrorResponse(new DatabaseConnectionError('down'))).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unavailable, retry later',
      details: {},
      headers: { 'Retry-After': String(RETRY_AFTER_S) },
    });
  });

  it('keeps the code, message and details of an ApiError', () => {
    const error = validationError('Bad list', { limit: ['too big'] });
    expect(toErrorResponse(error)).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Bad list',
      details: { fields: { limit: ['too big'] } },
    });
    const bare = new HttpException({ code: 'FORBIDDEN' }, HttpStatus.FORBIDDEN);
    expect(toErrorResponse(bare)).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Forbidden',
      details: {},
    });
    expect(toErrorResponse(new ApiError(401, 'TOKEN_EXPIRED', 'Token expired')).code).toBe(
      'TOKEN_EXPIRED',
    );
  });

  it("replaces the framework's texts with the contract's fixed messages", () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /secret/path'))).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      message: 'Route not found',
      details: {},
    });
    expect(toErrorResponse(new PayloadTooLargeException('FST_ERR_CTP_BODY_TOO_LARGE'))).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body must be at most 65536 bytes',
      details: {},
    });
    expect(toErrorResponse(new UnsupportedMediaTypeException('text/plain')).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(toErrorResponse(new BadRequestException('Unexpected token')).message).toBe(
      'Bad request',
    );
    expect(toErrorResponse(new HttpException('Too Many', 429)).code).toBe('RATE_LIMITED');
    expect(toErrorResponse(new HttpException('Method', 405)).code).toBe('METHOD_NOT_ALLOWED');
  });

  it("records a body cut short by the client as the client's doing (499), not a 500", () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(toErrorResponse(aborted)).toMatchObject({ status: 499, code: 'CLIENT_ABORTED' });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toErrorResponse(reset)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });

  it('turns anything else into a 500 that says nothing about it', () => {
    for (const error of [
      new Error('relation "tasks" does not exist'),
      new DataLayerError('Unexpected database error'),
      'a string',
      undefined,
      new HttpException('teapot', 418),
    ]) {
      expect(toErrorResponse(error)).toEqual({
        status: error instanceof HttpException ? 418 : 500,
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
        details: {},
      });
    }
  });
});
