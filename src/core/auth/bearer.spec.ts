import { bearerToken, isCanonicalCompactJws } from './bearer';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc-_~+/=', 'abc-_~+/='],
    ['BEARER x ', 'x'],
  ])('reads %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic abc',
    'Bearer a b',
    'Bearerabc',
    'Bearer a=b',
  ])('finds no token in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64url');

describe('isCanonicalCompactJws', () => {
  const header = b64([...Buffer.from('{"alg":"HS256"}')]);
  const payload = b64([...Buffer.from('{"sub":"a"}')]);
  const signature = b64([0xfb, 0xff, 0xbf, 0xfe]); // "-_-__g" style characters

  it('accepts three unpadded base64url segments of any valid length', () => {
    expect(isCanonicalCompactJws(`${header}.${payload}.${signature}`)).toBe(true);
    for (const length of [1, 2, 3, 30, 31, 32]) {
      const segment = b64(Array.from({ length }, (_, i) => (i * 37) & 0xff));
      expect(isCanonicalCompactJws(`${segment}.${segment}.${segment}`)).toBe(true);
    }
  });

  it.each([
    ['padding', `${header}.${payload}.${signature}==`],
    ['padding inside', `${header}=.${payload}.${signature}`],
    ['+ for -', `${header}.${payload}.${signature.replace('-', '+')}`],
    ['/ for _', `${header}.${payload}.${signature.replace('_', '/')}`],
    ['two segments', `${header}.${payload}`],
    ['four segments', `${header}.${payload}.${signature}.${signature}`],
    ['an empty signature', `${header}.${payload}.`],
    ['an empty header', `.${payload}.${signature}`],
    ['a length base64 cannot end at', `${header}.${payload}.${signature}AAA`],
    ['stray bits after one byte', `${header}.${payload}.${b64([0xff]).slice(0, 1)}B`],
    ['stray bits after two bytes', `${header}.${payload}.${b64([0xff, 0xff]).slice(0, 2)}9`],
    ['another character', `${header}.${payload}.${signature}~`],
  ])('refuses %s', (_, token) => {
    expect(isCanonicalCompactJws(token)).toBe(false);
  });

  it('has exactly one accepted spelling of every last character', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64 bytes: the 86-character signature of ES256 and EdDSA, whose last character holds 2 bits.
    const signature64 = Array.from({ length: 64 }, (_, i) => (i * 53 + 7) & 0xff);
    expect(b64(signature64)).toHaveLength(86);
    for (const bytes of [[0x41], [0x41, 0x42], signature64]) {
      const canonical = b64(bytes);
      const accepted = [...alphabet]
        .map((c) => canonical.slice(0, -1) + c)
        .filter((s) => isCanonicalCompactJws(`${s}.${s}.${s}`))
        .filter((s) => Buffer.from(s, 'base64url').equals(Buffer.from(bytes)));
      expect(accepted).toEqual([canonical]);
    }
  });
});
