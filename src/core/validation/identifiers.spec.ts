import {
  hasFewerCodePointsThan,
  hasMoreCodePointsThan,
  isUuid,
  isValidUserId,
  userIdProblem,
} from './identifiers';

const ID = '0b6f8f3e-7d2a-4c1e-9f7a-2d3c4b5a6e7f';

describe('isUuid', () => {
  it('takes a uuid of any version, in either case', () => {
    for (const id of [
      ID,
      ID.toUpperCase(),
      '00000000-0000-0000-0000-000000000000',
      'A0b1C2d3-e4F5-6789-abcd-EF0123456789',
    ])
      expect({ id, uuid: isUuid(id) }).toEqual({ id, uuid: true });
  });

  it('refuses anything else, including values that only print as a uuid', () => {
    const others: unknown[] = [
      '',
      'not-a-uuid',
      `${ID}0`,
      `{${ID}}`,
      ID.replace(/-/g, ''),
      `${ID}\n`,
    ];
    others.push(`x${ID}`, ID.replace('b', 'g'), undefined, null, 42, [ID], { toString: () => ID });
    for (const value of others)
      expect({ value, uuid: isUuid(value) }).toEqual({ value, uuid: false });
  });
});

describe('hasMoreCodePointsThan', () => {
  it('counts code points, so a character outside the BMP is one, not two', () => {
    expect(hasMoreCodePointsThan('abc', 3)).toBe(false);
    expect(hasMoreCodePointsThan('abcd', 3)).toBe(true);
    expect(hasMoreCodePointsThan('😀'.repeat(3), 3)).toBe(false);
    expect(hasMoreCodePointsThan('😀'.repeat(4), 3)).toBe(true);
  });
});

describe('hasFewerCodePointsThan', () => {
  it('counts code points too', () => {
    expect(hasFewerCodePointsThan('', 1)).toBe(true);
    expect(hasFewerCodePointsThan('a', 1)).toBe(false);
    expect(hasFewerCodePointsThan('😀', 2)).toBe(true);
    expect(hasFewerCodePointsThan('😀😀', 2)).toBe(false);
    expect(hasFewerCodePointsThan('ab', 2)).toBe(false);
  });
});

describe('the user id rule', () => {
  it.each([
    [undefined, 'missing'],
    [42, 'missing'],
    ['', 'missing'],
    [' ', 'blank'],
    ['\t\n ', 'blank'],
    ['a'.repeat(256), 'too_long'],
    ['a\u0000b', 'nul'],
  ])('refuses %j (%s)', (id, problem) => {
    expect(userIdProblem(id)).toBe(problem);
    expect(isValidUserId(id)).toBe(false);
  });

  it('counts characters, not UTF-16 units, and keeps inner spaces', () => {
    expect(isValidUserId('😀'.repeat(255))).toBe(true);
    expect(isValidUserId('😀'.repeat(256))).toBe(false);
    expect(isValidUserId(' a b ')).toBe(true);
    expect(isValidUserId('auth0|abc')).toBe(true);
  });
});
