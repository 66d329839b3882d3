import { expect } from '@jest/globals';
import { loadAppConfig } from '../../app.module';
import { HttpConfig } from './http.config';
import { commaList } from './client-address';
import { corsOptions, isCorsOrigins } from './cors';

describe('CORS', () => {
  it('isCorsOrigins and the origins list', () => {
    expect(commaList(' http://a.example ,, https://b.example:8443 ')).toEqual([
      'http://a.example',
      'https://b.example:8443',
    ]);
    expect(isCorsOrigins('')).toBe(true);
    expect(isCorsOrigins(' * ')).toBe(true);
    expect(isCorsOrigins(7)).toBe(false);
    expect(isCorsOrigins('not a url')).toBe(false);
  });

  it('corsOptions: off without origins, * or the list, credentials as configured', () => {
    const env = (extra: Record<string, string>) =>
      loadAppConfig({ DATABASE_URL: 'postgres://u@h/db', AUTH_JWT_SECRET: 's', ...extra }).get(
        HttpConfig,
      );
    expect(corsOptions(env({}))).toBeUndefined();
    expect(corsOptions(env({ CORS_ORIGINS: '*' }))).toMatchObject({
      origin: '*',
      credentials: false,
    });
    expect(
      corsOptions(env({ CORS_ORIGINS: 'https://a.example', CORS_CREDENTIALS: 'true' })),
    ).toMatchObject({
      origin: ['https://a.example'],
      credentials: true,
      exposedHeaders: expect.arrayContaining([
        'X-Request-Id',
        'Retry-After',
        'RateLimit-Policy',
        'RateLimit',
      ]),
    });
  });
});
