import { registerDecorator, ValidationOptions } from 'class-validator';

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An http:// or https:// URL with a host. */
export function IsHttpUrl(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isHttpUrl',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an http:// or https:// URL', ...options },
      validator: { validate: isHttpUrl },
    });
}

/** The origins of a CORS_ORIGINS value: `['*']`, a list, or `[]` for none. */
export function parseCorsOrigins(value: string): string[] {
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/** An origin exactly as a browser sends it: scheme, host and port only, no path or slash. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export function isCorsOrigins(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const origins = parseCorsOrigins(value);
  if (origins.includes('*')) return origins.length === 1;
  return origins.every(isOrigin);
}

/** `*`, or a comma-separated list of origins such as `https://app.example.com,http://localhost:5173`. */
export function IsCorsOrigins(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCorsOrigins',
      target: target.constructor,
      propertyName,
      options: {
        message:
          '$property must be * or a comma-separated list of origins like https://app.example.com (no path, no trailing slash)',
        ...options,
      },
      validator: { validate: isCorsOrigins },
    });
}
