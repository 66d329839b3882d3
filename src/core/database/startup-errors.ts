import type { PgConnectionParts } from './connection-url';

/** `severity` is set on a message from the server or a pooler, never on a socket error. */
type DriverError = { code?: string; message?: string; severity?: string };

/** One bounded line without the password (a message could echo a URL) or terminal controls. */
function quoteServerMessage(message: string, target: PgConnectionParts): string {
  let text = message.replace(/\p{Cc}+/gu, ' ');
  text = text.replace(/\b(postgres(?:ql)?:\/\/[^:@\s/]*):[^@\s]*@/gi, '$1:***@');
  if (target.password) text = text.replaceAll(target.password, '***');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A failure to reach the database as one line an operator can act on, never the password. */
export function explainDatabaseStartupError(error: unknown, target: PgConnectionParts): string {
  const { code = '', message = '', severity } = (error ?? {}) as DriverError;
  const where = `${target.host}:${target.port}`;
  // PgBouncer answers a wrong password with 08P01 ("SASL authentication failed").
  const refusedLogin = severity !== undefined && /authentication failed/i.test(message);
  if (code === '28P01' || code === '28000' || refusedLogin) {
    return `database authentication failed for user "${target.username}" at ${where} (check the user and password in DATABASE_URL)`;
  }
  if (code === '3D000') return `database "${target.database}" does not exist at ${where}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `database host "${target.host}" cannot be resolved`;
  }
  if (code === 'ECONNREFUSED') return `database unreachable: connection refused at ${where}`;
  if (typeof severity === 'string' && severity !== '') {
    // The server or a pooler said why (PgBouncer's FATAL 08P01 "unsupported startup parameter").
    return `database server at ${where} answered ${severity} ${code}: ${quoteServerMessage(message, target)}`;
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return `database unreachable: no answer from ${where} within the connect timeout`;
  }
  if (/SSL|TLS|certificate/i.test(`${code} ${message}`)) {
    return `database TLS negotiation failed at ${where} (check sslmode in DATABASE_URL)`;
  }
  return `database check failed at ${where}${code ? ` (${code})` : ''}`;
}
