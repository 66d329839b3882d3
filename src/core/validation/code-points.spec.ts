import { hasFewerCodePointsThan, hasMoreCodePointsThan } from './code-points';

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
