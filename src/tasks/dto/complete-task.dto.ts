import { IsOptional } from 'class-validator';
import { OptionalBody } from '../../common/validation.pipe';
import { CompletedField } from './task-fields';

/** Optional body of PATCH …/complete: set `completed` (retry-safe) instead of toggling it. */
@OptionalBody()
export class CompleteTaskDto {
  @IsOptional()
  @CompletedField()
  completed?: boolean;
}
