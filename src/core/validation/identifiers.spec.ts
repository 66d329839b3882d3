import {
  hasFewerCodePointsThan,
  hasMoreCodePointsThan,
  isValidUserId,
  userIdProblem,
} from './identifiers';

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
