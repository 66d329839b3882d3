/**
 * What the data layer throws. Callers (the HTTP layer) turn these into status codes; nothing
 * here carries SQL, driver text or whose a row is.
 */
export class DataLayerError extends Error {
  /** The repository operation that failed (`create`, `list`, …), for the log line of the failure. */
  operation?: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The task does not exist for this owner (it may not exist at all, or belong to another). */
export class TaskNotFoundError extends DataLayerError {
  constructor() {
    super('Task not found');
  }
}

/** Input the database refuses: too long, a NUL byte, a malformed uuid, a broken constraint. */
export class ValidationError extends DataLayerError {
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
