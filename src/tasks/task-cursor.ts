import { ValidationError } from '../database/data-layer.errors';

/** Where a page ended: the sort key of its last row. */
export interface TaskCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of "<created_at ms>.<id>". */
export function encodeCursor(cursor: TaskCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): TaskCursor {
  const decoded = /^[A-Za-z0-9_-]{1,96}$/.test(value)
    ? Buffer.from(value, 'base64url').toString('utf8')
    : '';
  const match = /^(\d{1,15})\.(.+)$/.exec(decoded);
  if (!match || !UUID.test(match[2])) throw new ValidationError('cursor is not valid', 'cursor');
  return { createdAt: new Date(Number(match[1])), id: match[2].toLowerCase() };
}
