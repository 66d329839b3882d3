import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldErrors, validationError } from './api-error';

const OPTIONAL_BODIES = new WeakSet<object>();

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
    if (metadata.type === 'body' && metadata.metatype && !isPlainObject(value)) {
      throw validationError('Request body must be a JSON object', {
        body: ['must be a JSON object'],
      });
    }
    return super.transform(value, metadata);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
