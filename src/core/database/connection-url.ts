import type { TlsOptions } from 'node:tls';

export interface PgConnectionParts {
  host: string;
  port: number;
  username: string;
  password: string | undefined;
  database: string;
  ssl: false | TlsOptions;
}

/**
 * The parts of a postgres URL TypeORM wants, `sslmode` with libpq's meaning (TypeORM's `url`
 * drops the query string): `require` encrypts, `verify-*` also checks the certificate.
 */
export function parsePostgresUrl(value: string): PgConnectionParts {
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

function sslFor(mode: string | null): false | TlsOptions {
  switch (mode) {
    case 'require':
    case 'true':
    case '1':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

/** The URL with its password replaced, for logs and messages. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable url>';
  }
}
