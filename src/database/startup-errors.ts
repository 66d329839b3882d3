import type { PgConnectionParts } from './connection-url';

interface DriverError {
  code?: string;
  message?: string;
}

/**
 * Turns a failure to reach the database at startup into one line an operator can act on. It names
 * the host, port, user and database, never the password, and never echoes driver text that could
 * hold it.
 */
export function explainDatabaseStartupError(error: unknown, target: PgConnectionParts): string {
  const { code = '', message = '' } = (error ?? {}) as DriverError;
  const where = `${target.host}:${target.port}`;
  if (code === '28P01' || code === '28000') {
    return `database authentication failed for user "${target.username}" at ${where} (check the user and password in DATABASE_URL)`;
  }
  if (code === '3D000') {
    return `database "${target.database}" does not exist at ${where}`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `database host "${target.host}" cannot be resolved`;
  }
  if (code === 'ECONNREFUSED') {
    return `database unreachable: connection refused at ${where}`;
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return `database unreachable: no answer from ${where} within the connect timeout`;
  }
  if (/SSL|TLS|certificate/i.test(`${code} ${message}`)) {
    return `database TLS negotiation failed at ${where} (check sslmode in DATABASE_URL)`;
  }
  return `database check failed at ${where}${code ? ` (${code})` : ''}`;
}
