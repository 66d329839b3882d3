/** What the data layer throws: never SQL, driver text or whose a row is. */
export class DataLayerError extends Error {
  /** The repository operation that failed (`create`, `list`, …), for the failure's log line. */
  operation?: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input refused before or by the database (too long, NUL, bad uuid, a constraint): a 400. */
export class InvalidInputError extends DataLayerError {
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The database could not be reached or answered in time; the request may be retried (503). */
export class DatabaseConnectionError extends DataLayerError {}

/** Socket errors and pg/pg-pool messages that mean "no usable connection". */
const CONNECTION_CODES = new Set(
  'ECONNREFUSED ECONNRESET ETIMEDOUT EPIPE ENOTFOUND EAI_AGAIN EHOSTUNREACH ENETUNREACH'.split(' '),
);
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /Connection ended unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

const INVALID_INPUT: Record<string, string> = {
  '22001': 'Value too long',
  '22021': 'Value contains characters the database cannot store',
  '22P05': 'Value contains characters the database cannot store',
  '22P02': 'Value has the wrong format',
  '23502': 'A required value is missing',
  '23514': 'Value is not allowed',
};

/** By SQLSTATE class: 08, 53, 57P0x, 57014 (statement timeout): unavailable; 22 and 23: input. */
export function mapPgError(error: unknown): DataLayerError {
  if (error instanceof DataLayerError) return error;
  const { code = '', message = '', column } = (error ?? {}) as Record<string, string | undefined>;
  if (
    CONNECTION_CODES.has(code) ||
    /^(08|53|57P)/.test(code) ||
    code === '57014' ||
    CONNECTION_MESSAGES.some((re) => re.test(message))
  ) {
    return new DatabaseConnectionError('Database unavailable', { cause: error });
  }
  if (/^2[23]/.test(code)) {
    const text = INVALID_INPUT[code] ?? 'Value rejected by the database';
    return new InvalidInputError(text, column, { cause: error });
  }
  return new DataLayerError('Unexpected database error', { cause: error });
}

/** An error mapPgError reads as "database unavailable". */
export const timeoutError = (message: string) =>
  Object.assign(new Error(message), { code: 'ETIMEDOUT' });

/**
 * `work`, or an ETIMEDOUT rejection after `ms`; the work is not cancelled. Rejects after the poll
 * phase: an answer already read wins over an overslept timer.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message = 'timeout'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(timeoutError(message))), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
