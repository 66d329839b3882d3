import { ValidateBy } from 'class-validator';

/** A class-validator check by a plain predicate, with the message that follows the variable's name. */
export function Satisfies(predicate: (value: unknown) => boolean, message: string) {
  const validator = { validate: predicate };
  return ValidateBy({ name: predicate.name, validator }, { message: `$property ${message}` });
}

function parsedUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** A postgres:// or postgresql:// URL with a host and a database name. */
export function isPostgresUrl(value: unknown): boolean {
  const url = parsedUrl(value);
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) return false;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return url.hostname !== '' && database !== '' && !database.includes('/');
}

export function isHttpUrl(value: unknown): boolean {
  const url = parsedUrl(value);
  return !!url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

export function isRedisUrl(value: unknown): boolean {
  const url = parsedUrl(value);
  return !!url && (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
}

export const POSTGRES_URL =
  'must be a postgres:// or postgresql:// URL with a host and a database name';
