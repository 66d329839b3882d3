import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { OptionalBody } from '../../common/validation.pipe';
import { COMPLETED_API, CompletedField } from './task-fields';

/** Optional body of PATCH …/complete: set `completed` (retry-safe) instead of toggling it. */
@ApiSchema({
  name: 'CompleteTask',
  description:
    'Optional body of PATCH /api/{user_id}/tasks/{task_id}/complete. Without a body (or with {}) the task is toggled; with `completed` it is set to that value, so a retry does not flip it back.',
})
@OptionalBody()
export class CompleteTaskDto {
  @ApiPropertyOptional(COMPLETED_API)
  @CompletedField()
  completed?: boolean;
}
