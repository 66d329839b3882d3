import { decodeCursor, encodeCursor } from './keyset';

const ID = '0b6f8f3e-7d2a-4c1e-9f7a-2d3c4b5a6e7f';

describe('keyset cursor', () => {
  it('round-trips the time (to the millisecond) and the id', () => {
    const cursor = { at: new Date('2026-01-14T12:00:00.123Z'), id: ID };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it('normalises the id to lower case', () => {
    const encoded = Buffer.from(`1.${ID.toUpperCase()}`).toString('base64url');
    expect(decodeCursor(encoded)?.id).toBe(ID);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['too long', 'A'.repeat(97)],
    ['no separator', Buffer.from(`123${ID}`).toString('base64url')],
    ['not a number', Buffer.from(`abc.${ID}`).toString('base64url')],
    ['a negative time', Buffer.from(`-1.${ID}`).toString('base64url')],
    ['not a uuid', Buffer.from('123.not-a-uuid').toString('base64url')],
    ['prefixed by another character', `$${encodeCursor({ at: new Date(1), id: ID })}`],
    ['followed by another character', `${encodeCursor({ at: new Date(1), id: ID })}$`],
    ['text before the time', Buffer.from(`x123.${ID}`).toString('base64url')],
    ['a time of 16 digits', Buffer.from(`1234567890123456.${ID}`).toString('base64url')],
    ['text after the id', Buffer.from(`123.${ID}x`).toString('base64url')],
  ])('refuses a cursor that is %s', (_, value) => {
    expect(decodeCursor(value)).toBeUndefined();
  });
});
