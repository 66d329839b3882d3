import type { TlsOptions } from 'node:tls';

/** The parts TypeORM wants: its `url` drops the query string, so `sslmode` is read here. */
export function parsePostgresUrl(value: string) {
  const url = new URL(value);
  const sslmode = url.searchParams.get('sslmode') ?? url.searchParams.get('ssl');
  return {
    host: decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 5432,
    username: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: sslFor(sslmode),
  };
}

/** libpq's meaning: `require` encrypts, `verify-*` also checks the certificate. */
function sslFor(mode: string | null): false | TlsOptions {
  if (mode === 'verify-ca' || mode === 'verify-full') return { rejectUnauthorized: true };
  if (mode === 'require' || mode === 'true' || mode === '1') return { rejectUnauthorized: false };
  return false;
}

export function redactUrl(value: string): string {
  if (!URL.canParse(value)) return '<unparseable url>';
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}

/** `severity` is set on a message from the server or a pooler, never on a socket error. */
type DriverError = { code?: string; message?: string; severity?: string };

/** One bounded line without the password (a message could echo a URL) or terminal controls. */
function quoteServerMessage(message: string, password: string | undefined): string {
  let text = message.replace(/\p{Cc}+/gu, ' ');
  text = text.replace(/\b(postgres(?:ql)?:\/\/[^:@\s/]*):[^@\s]*@/gi, '$1:***@');
  if (password) text = text.replaceAll(password, '***');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A failure to reach the database as one line an operator can act on, never the password. */
export function explainDatabaseStartupError(error: unknown, databaseUrl: string): string {
  const target = parsePostgresUrl(databaseUrl);
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
    return `database server at ${where} answered ${severity} ${code}: ${quoteServerMessage(message, target.password)}`;
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return `database unreachable: no answer from ${where} within the connect timeout`;
  }
  if (/SSL|TLS|certificate/i.test(`${code} ${message}`)) {
    return `database TLS negotiation failed at ${where} (check sslmode in DATABASE_URL)`;
  }
  return `database check failed at ${where}${code ? ` (${code})` : ''}`;
}
