import { parsePostgresUrl, redactUrl } from './connection-url';

describe('parsePostgresUrl', () => {
  it('splits a full URL, decoding user, password and database', () => {
    expect(
      parsePostgresUrl('postgres://app%20user:p%40ss%3Aw0rd@db.example.com:6543/my%20db'),
    ).toEqual({
      host: 'db.example.com',
      port: 6543,
      username: 'app user',
      password: 'p@ss:w0rd',
      database: 'my db',
      ssl: false,
    });
  });

  it('defaults the port to 5432, the user to postgres and the password to none', () => {
    expect(parsePostgresUrl('postgresql://localhost/tasks')).toMatchObject({
      port: 5432,
      username: 'postgres',
      password: undefined,
    });
  });

  it('unwraps an IPv6 host', () => {
    expect(parsePostgresUrl('postgres://u@[::1]:5433/db').host).toBe('::1');
  });

  it.each([
    ['require', { rejectUnauthorized: false }],
    ['true', { rejectUnauthorized: false }],
    ['1', { rejectUnauthorized: false }],
    ['verify-ca', { rejectUnauthorized: true }],
    ['verify-full', { rejectUnauthorized: true }],
    ['disable', false],
    ['prefer', false],
  ])('maps sslmode=%s to %p', (mode, ssl) => {
    expect(parsePostgresUrl(`postgres://h/db?sslmode=${mode}`).ssl).toEqual(ssl);
  });

  it('also reads ssl= (as some providers write it)', () => {
    expect(parsePostgresUrl('postgres://h/db?ssl=true').ssl).toEqual({ rejectUnauthorized: false });
  });
});

describe('redactUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:s3cret@h:5432/db?sslmode=require')).toBe(
      'postgres://app:***@h:5432/db?sslmode=require',
    );
  });

  it('leaves a URL without password as it is', () => {
    expect(redactUrl('postgres://app@h/db')).toBe('postgres://app@h/db');
  });

  it('never returns an unparseable value (it could be a secret)', () => {
    expect(redactUrl('s3cret not a url')).toBe('<unparseable url>');
  });
});
