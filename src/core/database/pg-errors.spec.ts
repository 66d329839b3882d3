import { DatabaseConnectionError, DataLayerError, InvalidInputError } from './pg-errors';
import { mapPgError } from './pg-errors';

describe('mapPgError', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    '08006',
    '08001',
    '53300',
    '57P01',
    '57P03',
    '57014',
  ])('maps %s to DatabaseConnectionError', (code) => {
    const cause = Object.assign(new Error('driver text'), { code });
    const mapped = mapPgError(cause);
    expect(mapped).toBeInstanceOf(DatabaseConnectionError);
    expect(mapped.message).toBe('Database unavailable');
    expect(mapped.cause).toBe(cause);
  });

  it.each([
    'Connection terminated unexpectedly',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Client has encountered a connection error and is not queryable',
    'Connection ended unexpectedly',
    'the database system is shutting down',
  ])('maps the pg message %p (no code) to DatabaseConnectionError', (message) => {
    expect(mapPgError(new Error(message))).toBeInstanceOf(DatabaseConnectionError);
  });

  it.each([
    ['22001', 'Value too long'],
    ['22021', 'Value contains characters the database cannot store'],
    ['22P05', 'Value contains characters the database cannot store'],
    ['22P02', 'Value has the wrong format'],
    ['23502', 'A required value is missing'],
    ['23514', 'Value is not allowed'],
    ['23505', 'Value rejected by the database'],
    ['22008', 'Value rejected by the database'],
  ])('maps %s to an InvalidInputError saying %p, keeping the column', (code, message) => {
    const mapped = mapPgError({ code, message: 'driver text with SQL', column: 'title' });
    expect(mapped).toBeInstanceOf(InvalidInputError);
    expect(mapped.message).toBe(message);
    expect((mapped as InvalidInputError).field).toBe('title');
  });

  it('keeps anything else generic, without the driver text', () => {
    const mapped = mapPgError({ code: '42P01', message: 'relation "tasks" does not exist' });
    expect(mapped.constructor).toBe(DataLayerError);
    expect(mapped.message).toBe('Unexpected database error');
    expect(mapPgError(undefined).message).toBe('Unexpected database error');
    expect(mapPgError(null)).toBeInstanceOf(DataLayerError);
  });

  it('passes data-layer errors through unchanged', () => {
    const error = new InvalidInputError('Nothing to update');
    expect(mapPgError(error)).toBe(error);
    expect(error.name).toBe('InvalidInputError');
  });
});
