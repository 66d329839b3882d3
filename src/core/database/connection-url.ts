import type { TlsOptions } from 'node:tls';

export type PgConnectionParts = ReturnType<typeof parsePostgresUrl>;

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
