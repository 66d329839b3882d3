import { isValidUserId, userIdProblem } from './user-id';

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
