import { isUuid } from '../common/uuid';

/** Where a page ended: the sort key of its last row. */
export interface TaskCursor {
  createdAt: Date;
  id: string;
}

/** What a cursor looks like on the wire (base64url, bounded); the OpenAPI document says so too. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,96}$/;

/** A `cursor` query parameter that is not one this service made. */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid');
    this.name = 'InvalidCursorError';
  }
}

/** Opaque to clients: base64url of "<created_at ms>.<id>". */
export function encodeCursor(cursor: TaskCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`).toString('base64url');
}

/** @throws InvalidCursorError */
export function decodeCursor(value: string): TaskCursor {
  const decoded = CURSOR_PATTERN.test(value)
    ? Buffer.from(value, 'base64url').toString('utf8')
    : '';
  const match = /^(\d{1,15})\.(.+)$/.exec(decoded);
  if (!match || !isUuid(match[2])) throw new InvalidCursorError();
  return { createdAt: new Date(Number(match[1])), id: match[2].toLowerCase() };
}
