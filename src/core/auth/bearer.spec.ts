import { bearerToken, isCanonicalCompactJws } from './bearer';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc-_~+/=', 'abc-_~+/='],
    ['BEARER x ', 'x'],
    ['Bearer AZaz09.eyJ-_~+/==', 'AZaz09.eyJ-_~+/=='],
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
    'Token Bearer abc',
    ' Bearer abc',
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
    // Lengths base64 can end at, so only the stray character is wrong.
    ['a character before the header', `~AAA.${payload}.${signature}`],
    ['a character after the signature', `${header}.${payload}.AAA~`],
    ['a character in the payload', `${header}.AA~A.${signature}`],
    ['a header of a length base64 cannot end at', `AAAAA.${payload}.${signature}`],
    ['a payload of a length base64 cannot end at', `${header}.AAAAA.${signature}`],
    ['stray bits after one byte of the header', `AB.${payload}.${signature}`],
    ['stray bits after two bytes of the header', `AAB.${payload}.${signature}`],
    ['stray bits after one byte of the payload', `${header}.AB.${signature}`],
    ['stray bits after two bytes of the payload', `${header}.AAB.${signature}`],
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

  it('accepts a last character exactly when it is the one base64url re-encodes the bytes to', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const reencodes = (s: string) => Buffer.from(s, 'base64url').toString('base64url') === s;
    const signatureStart = Array.from({ length: 63 }, (_, i) => (i * 53 + 7) & 0xff);
    expect(b64([...signatureStart, 0])).toHaveLength(86);
    // Groups ending in 1 byte (2 of the last character's bits used; the 86 characters of a
    // 64-byte ES256 or EdDSA signature) and in 2 bytes (4 bits used), every value of the last byte.
    const wrong: string[] = [];
    for (const prefix of [[], [0x41], signatureStart]) {
      for (let last = 0; last < 256; last++) {
        const spelling = b64([...prefix, last]).slice(0, -1);
        for (const c of alphabet) {
          const s = spelling + c;
          if (isCanonicalCompactJws(`${s}.${s}.${s}`) !== reencodes(s)) wrong.push(s);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('judges each segment by its own length and last character', () => {
    const canonical = ['AAAA', 'AA', 'AAA', 'AQ', 'ABE', 'Ag', 'w-8', 'zz-_'];
    const not = ['AAAAA', 'AB', 'AAB', 'A_', 'AA_', 'Aa', 'AAz', 'A'];
    for (const good of canonical) {
      for (const token of [`${good}.AAAA.AAAA`, `AAAA.${good}.AAAA`, `AAAA.AAAA.${good}`])
        expect({ token, accepted: isCanonicalCompactJws(token) }).toEqual({
          token,
          accepted: true,
        });
    }
    for (const bad of not) {
      for (const token of [`${bad}.AAAA.AAAA`, `AAAA.${bad}.AAAA`, `AAAA.AAAA.${bad}`])
        expect({ token, accepted: isCanonicalCompactJws(token) }).toEqual({
          token,
          accepted: false,
        });
    }
  });
});
