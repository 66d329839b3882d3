import { isCorsOrigins, isHttpUrl, parseCorsOrigins } from './http-url.validator';

describe('URL validators', () => {
  it('isHttpUrl', () => {
    expect(isHttpUrl('https://idp.example/.well-known/jwks.json')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:9/jwks')).toBe(true);
    for (const bad of [undefined, 42, '', 'idp.example', 'file:///etc/passwd']) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });

  it('isCorsOrigins and parseCorsOrigins', () => {
    expect(parseCorsOrigins(' http://a.example ,, https://b.example:8443 ')).toEqual([
      'http://a.example',
      'https://b.example:8443',
    ]);
    expect(isCorsOrigins('')).toBe(true);
    expect(isCorsOrigins(' * ')).toBe(true);
    expect(isCorsOrigins(7)).toBe(false);
    expect(isCorsOrigins('not a url')).toBe(false);
  });
});
