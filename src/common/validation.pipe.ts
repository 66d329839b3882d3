import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldErrors, validationError } from './api-error';

const OPTIONAL_BODIES = new WeakSet<object>();

/**
 * No body of the API nests at all; class-transformer recurses once per level, so a deep enough
 * array (5,000 levels fit in 64 KiB) would overflow the stack and become a 500. Refused first.
 */
export const MAX_BODY_DEPTH = 16;

/** Marks a body DTO whose request may come without any body at all. */
export function OptionalBody(): ClassDecorator {
  return (target) => {
    OPTIONAL_BODIES.add(target);
  };
}

/**
 * The global ValidationPipe of the contract: unknown fields are refused (not silently dropped),
 * a body must be a JSON object, and every problem is listed by field in `details.fields`.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validateCustomDecorators: false,
      stopAtFirstError: true,
      exceptionFactory: (errors) =>
        validationError('Request validation failed', collectFieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      value === undefined &&
      OPTIONAL_BODIES.has(metadata.metatype as object)
    ) {
      return undefined;
    }
    if (metadata.type === 'body' && metadata.metatype) {
      if (!isPlainObject(value)) {
        throw validationError('Request body must be a JSON object', {
          body: ['must be a JSON object'],
        });
      }
      if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
        throw validationError('Request body nests too deeply', {
          body: [`must not nest deeper than ${MAX_BODY_DEPTH} levels`],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Iterative, so the check itself cannot overflow; stops at the first value past the limit. */
export function nestsDeeperThan(root: object, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(value as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function collectFieldErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.entries(error.constraints).map(([rule, message]) =>
        rule === 'whitelistValidation' ? 'is not an accepted field' : message,
      );
    }
    Object.assign(fields, collectFieldErrors(error.children ?? [], path));
  }
  return fields;
}
