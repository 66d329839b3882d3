import { isUuid } from '../validation/identifiers';

/** Where a page ended: the sort key of its last row (a timestamp, then the id). */
export interface KeysetCursor {
  at: Date;
  id: string;
}

/** What a cursor looks like on the wire (base64url, bounded); the OpenAPI document says so too. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,96}$/;

/** Opaque to clients: base64url of "<ms>.<id>". */
export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(`${cursor.at.getTime()}.${cursor.id}`).toString('base64url');
}

/** The cursor, or undefined when `value` is not one this service made. */
export function decodeCursor(value: string): KeysetCursor | undefined {
  const decoded = CURSOR_PATTERN.test(value) ? Buffer.from(value, 'base64url').toString() : '';
  const match = /^(\d{1,15})\.(.+)$/.exec(decoded);
  if (!match || !isUuid(match[2])) return undefined;
  return { at: new Date(Number(match[1])), id: match[2].toLowerCase() };
}
