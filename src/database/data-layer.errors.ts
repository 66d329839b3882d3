/**
 * What the data layer throws. The HTTP layer turns these into status codes; nothing here carries
 * SQL, driver text or whose a row is.
 */
export class DataLayerError extends Error {
  /** The repository operation that failed (`create`, `list`, …), for the log line of the failure. */
  operation?: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Input the data layer refuses, before or by the database: too long, a NUL byte, a malformed
 * uuid, a broken constraint, an update with nothing to change. A 400 when it reaches HTTP.
 */
export class InvalidInputError extends DataLayerError {
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The database could not be reached or answered in time; the request may be retried. */
export class DatabaseConnectionError extends DataLayerError {}
