import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ERRORS } from '../errors/api-error';
import { isUuid } from './identifiers';

/** Any RFC 4122 shaped id, lower-cased; anything else is 400 INVALID_UUID before a query runs. */
export class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isUuid(value)) {
      throw ERRORS.invalidUuid.error(`${this.name}: must be a UUID`, {
        fields: { [this.name]: ['must be a UUID'] },
      });
    }
    return value.toLowerCase();
  }
}

/** The path parameter `name`, a UUID (checked, lower-cased) and documented as one. */
export function UuidParam(name: string): ParameterDecorator {
  const pipe = new UuidPipe(name);
  return (target, key, index) => {
    Param(name, pipe)(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, schema: { type: 'string', format: 'uuid' } })(target, key!, descriptor);
  };
}
