import { registerDecorator, ValidationOptions } from 'class-validator';

export function isPostgresUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return (
    (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
    url.hostname !== '' &&
    database !== '' &&
    !database.includes('/')
  );
}

/** A postgres:// or postgresql:// URL with a host and a database name. */
export function IsPostgresUrl(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPostgresUrl',
      target: target.constructor,
      propertyName,
      options: {
        message:
          '$property must be a postgres:// or postgresql:// URL with a host and a database name',
        ...options,
      },
      validator: { validate: isPostgresUrl },
    });
}
