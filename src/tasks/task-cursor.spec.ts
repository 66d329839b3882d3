import { randomUUID } from 'node:crypto';
import { ValidationError } from '../database/data-layer.errors';
import { decodeCursor, encodeCursor } from './task-cursor';

describe('task cursor', () => {
  it('round-trips the sort key of a row, lower-casing the id', () => {
    const id = randomUUID();
    const createdAt = new Date('2026-01-14T12:00:00.001Z');
    const cursor = encodeCursor({ createdAt, id: id.toUpperCase() });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ createdAt, id });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['too long', 'A'.repeat(97)],
    ['no dot', Buffer.from('123').toString('base64url')],
    ['not a uuid', Buffer.from('123.abc').toString('base64url')],
    ['not a number', Buffer.from(`x.${randomUUID()}`).toString('base64url')],
    ['16 digits', Buffer.from(`1234567890123456.${randomUUID()}`).toString('base64url')],
  ])('refuses %s', (_, value) => {
    expect(() => decodeCursor(value)).toThrow(ValidationError);
  });
});
