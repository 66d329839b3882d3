import { parsePostgresUrl } from './connection-url';
import { explainDatabaseStartupError } from './startup-errors';

const target = parsePostgresUrl('postgres://app:Sup3rSecret@db.internal:6543/tasks');
const explain = (error: unknown) => explainDatabaseStartupError(error, target);

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

  it('never includes the password, even when the driver text does', () => {
    const line = explain({ code: 'XX000', message: 'failed for postgres://app:Sup3rSecret@x' });
    expect(line).not.toContain('Sup3rSecret');
  });
});
