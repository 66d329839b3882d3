import { decodeSyncToken, encodeSyncToken, type SyncToken } from './change-feed';

const ID = '0b6f8f3e-7d2a-4c1e-9f7a-2d3c4b5a6e7f';
const raw = (text: string) => Buffer.from(text).toString('base64url');

describe('sync token', () => {
  it('round-trips a start token and a token between pages', () => {
    const start: SyncToken = { from: '812', since: 1_765_000_000_123 };
    const between: SyncToken = {
      ...start,
      page: ['905', '900', 1_765_000_000_456, '850', ID],
    };
    for (const token of [start, between]) {
      const encoded = encodeSyncToken(token);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeSyncToken(encoded)).toEqual(token);
    }
  });

  it('normalises the position id to lower case', () => {
    const token = decodeSyncToken(raw(`1.5.1.6.1.7.6.${ID.toUpperCase()}`));
    expect(token?.page?.[4]).toBe(ID);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['too long', 'A'.repeat(201)],
    ['another version', raw('2.5.1')],
    ['a missing time', raw('1.5')],
    ['a negative xid', raw('1.-5.1')],
    ['an xid past bigint', raw('1.9223372036854775808.1')],
    ['a position xid past bigint', raw(`1.5.1.6.1.7.9223372036854775808.${ID}`)],
    ['a position without a uuid', raw('1.5.1.6.1.7.6.not-a-uuid')],
    ['half a position', raw('1.5.1.6.1')],
  ])('refuses a token that is %s', (_, value) => {
    expect(decodeSyncToken(value)).toBeUndefined();
  });
});
