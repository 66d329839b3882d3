import { registerDecorator, ValidationOptions } from 'class-validator';
import { isTrustedProxies } from '../http/client-address';
import { isCorsOrigins } from '../http/cors';

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

/**
 * `*`, or a comma-separated list of origins such as `https://app.example.com,http://localhost:5173`
 * (the value's grammar is the HTTP layer's: src/http/cors.ts).
 */
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

/** A comma-separated list of IP addresses and CIDR ranges (src/http/client-address.ts); empty: none. */
export function IsTrustedProxies(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTrustedProxies',
      target: target.constructor,
      propertyName,
      options: {
        message:
          '$property must be a comma-separated list of IP addresses or CIDR ranges, like 10.0.0.0/8,192.168.1.10',
        ...options,
      },
      validator: { validate: isTrustedProxies },
    });
}
