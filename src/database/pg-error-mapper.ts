import { DatabaseConnectionError, DataLayerError, InvalidInputError } from './data-layer.errors';

interface PgLikeError {
  code?: string;
  message?: string;
  column?: string;
  constraint?: string;
}

/** Node socket errors and pg/pg-pool messages that mean "no usable connection". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /Connection ended unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * Sorts a driver error into the data layer's hierarchy by its SQLSTATE class:
 * 08 connection, 57P0x shutdown/cannot connect, 53 resources → connection;
 * 22 data exception, 23 integrity → validation; 57014 (statement timeout) → connection, since
 * the request can be retried and says nothing about the input. Anything else stays generic.
 */
export function mapPgError(error: unknown): DataLayerError {
  if (error instanceof DataLayerError) return error;
  const e = (error ?? {}) as PgLikeError;
  const code = e.code ?? '';
  if (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') ||
    code.startsWith('53') ||
    code.startsWith('57P') ||
    code === '57014' ||
    CONNECTION_MESSAGES.some((re) => re.test(e.message ?? ''))
  ) {
    return new DatabaseConnectionError('Database unavailable', { cause: error });
  }
  if (code.startsWith('22') || code.startsWith('23')) {
    return new InvalidInputError(validationMessage(code), e.column, { cause: error });
  }
  return new DataLayerError('Unexpected database error', { cause: error });
}

function validationMessage(code: string): string {
  switch (code) {
    case '22001':
      return 'Value too long';
    case '22021':
    case '22P05':
      return 'Value contains characters the database cannot store';
    case '22P02':
      return 'Value has the wrong format';
    case '23502':
      return 'A required value is missing';
    case '23514':
      return 'Value is not allowed';
    default:
      return 'Value rejected by the database';
  }
}
