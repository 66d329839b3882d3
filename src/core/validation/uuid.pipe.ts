import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { isUuid } from './uuid';

/** Any RFC 4122 shaped id, lower-cased; anything else is 400 INVALID_UUID before a query runs. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_UUID', 'task_id must be a UUID', {
        fields: { task_id: ['must be a UUID'] },
      });
    }
    return value.toLowerCase();
  }
}
