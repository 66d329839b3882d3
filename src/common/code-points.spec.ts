import { hasMoreCodePointsThan } from './code-points';

describe('hasMoreCodePointsThan', () => {
  it('counts code points, so a character outside the BMP is one, not two', () => {
    expect(hasMoreCodePointsThan('abc', 3)).toBe(false);
    expect(hasMoreCodePointsThan('abcd', 3)).toBe(true);
    expect(hasMoreCodePointsThan('😀'.repeat(3), 3)).toBe(false);
    expect(hasMoreCodePointsThan('😀'.repeat(4), 3)).toBe(true);
  });
});
