import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ERRORS } from '../errors/api-error';
import { isUuid } from './identifiers';

/**
 * The path parameter `name`, a UUID and documented as one: any RFC 4122 shaped id, lower-cased;
 * anything else is 400 INVALID_UUID before a query runs.
 */
export function UuidParam(name: string): ParameterDecorator {
  const pipe: PipeTransform<string, string> = {
    transform(value) {
      if (!isUuid(value)) {
        throw ERRORS.invalidUuid.error(`${name}: must be a UUID`, {
          fields: { [name]: ['must be a UUID'] },
        });
      }
      return value.toLowerCase();
    },
  };
  return (target, key, index) => {
    Param(name, pipe)(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, schema: { type: 'string', format: 'uuid' } })(target, key!, descriptor);
  };
}
