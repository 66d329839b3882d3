import { isHttpUrl } from './http-url.validator';

describe('URL validators', () => {
  it('isHttpUrl', () => {
    expect(isHttpUrl('https://idp.example/.well-known/jwks.json')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:9/jwks')).toBe(true);
    for (const bad of [undefined, 42, '', 'idp.example', 'file:///etc/passwd']) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });
});
