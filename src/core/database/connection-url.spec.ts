import { explainDatabaseStartupError, parsePostgresUrl, redactUrl } from './connection-url';

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

const explain = (error: unknown) =>
  explainDatabaseStartupError(error, 'postgres://app:Sup3rSecret@db.internal:6543/tasks');

describe('explainDatabaseStartupError', () => {
  it.each([
    [
      { code: '28P01', message: 'password authentication failed for user "app"' },
      'database authentication failed for user "app" at db.internal:6543 (check the user and password in DATABASE_URL)',
    ],
    [
      { code: '28000', message: 'role "app" does not exist' },
      'database authentication failed for user "app" at db.internal:6543 (check the user and password in DATABASE_URL)',
    ],
    [
      { severity: 'FATAL', code: '08P01', message: 'SASL authentication failed' },
      'database authentication failed for user "app" at db.internal:6543 (check the user and password in DATABASE_URL)',
    ],
    [{ code: '3D000' }, 'database "tasks" does not exist at db.internal:6543'],
    [{ code: 'ENOTFOUND' }, 'database host "db.internal" cannot be resolved'],
    [{ code: 'EAI_AGAIN' }, 'database host "db.internal" cannot be resolved'],
    [{ code: 'ECONNREFUSED' }, 'database unreachable: connection refused at db.internal:6543'],
    [
      { code: 'ETIMEDOUT' },
      'database unreachable: no answer from db.internal:6543 within the connect timeout',
    ],
    [
      { message: 'Connection terminated due to connection timeout' },
      'database unreachable: no answer from db.internal:6543 within the connect timeout',
    ],
    [
      { message: 'The server does not support SSL connections' },
      'database TLS negotiation failed at db.internal:6543 (check sslmode in DATABASE_URL)',
    ],
    [
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' },
      'database TLS negotiation failed at db.internal:6543 (check sslmode in DATABASE_URL)',
    ],
    [
      { code: '42501', message: 'permission denied' },
      'database check failed at db.internal:6543 (42501)',
    ],
    [new Error('something else'), 'database check failed at db.internal:6543'],
    [undefined, 'database check failed at db.internal:6543'],
  ])('explains %p', (error, expected) => {
    expect(explain(error)).toBe(expected);
  });

  it.each([
    [
      // What PgBouncer in transaction mode answers to a session parameter in the startup packet.
      {
        severity: 'FATAL',
        code: '08P01',
        message: 'unsupported startup parameter: statement_timeout',
      },
      'database server at db.internal:6543 answered FATAL 08P01: unsupported startup parameter: statement_timeout',
    ],
    [
      // A pooler's message with "timeout" in it is still the server's reason, not a connect timeout.
      { severity: 'FATAL', code: '08P01', message: 'query_wait_timeout' },
      'database server at db.internal:6543 answered FATAL 08P01: query_wait_timeout',
    ],
    [
      { severity: 'ERROR', code: '42501', message: 'permission denied for table pg_authid' },
      'database server at db.internal:6543 answered ERROR 42501: permission denied for table pg_authid',
    ],
  ])('quotes the server message of %p as the reason', (error, expected) => {
    expect(explain(error)).toBe(expected);
  });

  it('quotes a server message on one bounded line, without the password', () => {
    const line = explain({
      severity: 'FATAL',
      code: 'XX000',
      message: `bad\n\u001bthing for postgres://app:other-pw@x/db Sup3rSecret ${'x'.repeat(300)}`,
    });
    expect(line).not.toMatch(/Sup3rSecret|other-pw/);
    expect(line).not.toMatch(/\p{Cc}/u);
    expect(line).toContain('bad thing for postgres://app:***@x/db *** xxx');
    expect(line.length).toBeLessThan(300);
    expect(line.endsWith('…')).toBe(true);
  });

  it('never includes the password, even when the driver text does', () => {
    const line = explain({ code: 'XX000', message: 'failed for postgres://app:Sup3rSecret@x' });
    expect(line).not.toContain('Sup3rSecret');
  });
});
