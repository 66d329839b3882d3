import { ValidateBy } from 'class-validator';

/** A class-validator check by a plain predicate, with the message that follows the variable's name. */
export function Satisfies(predicate: (value: unknown) => boolean, message: string) {
  const validator = { validate: predicate };
  return ValidateBy({ name: predicate.name, validator }, { message: `$property ${message}` });
}

/** `value` as a URL with a host and one of `schemes`, or undefined. */
function urlOf(value: unknown, ...schemes: string[]): URL | undefined {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  return url && schemes.includes(url.protocol) && url.hostname !== '' ? url : undefined;
}

/** A postgres:// or postgresql:// URL with a host and a database name. */
export function isPostgresUrl(value: unknown): boolean {
  const url = urlOf(value, 'postgres:', 'postgresql:');
  const database = url ? decodeURIComponent(url.pathname.slice(1)) : '';
  return database !== '' && !database.includes('/');
}

export const isHttpUrl = (value: unknown): boolean => !!urlOf(value, 'http:', 'https:');
export const isRedisUrl = (value: unknown): boolean => !!urlOf(value, 'redis:', 'rediss:');

export const POSTGRES_URL =
  'must be a postgres:// or postgresql:// URL with a host and a database name';
