import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { JsonBodyPipe } from '../../common/json-body.pipe';
import { checkCompleted, COMPLETED_API } from './task-fields';

/** Optional body of PATCH …/complete: set `completed` (retry-safe) instead of toggling it. */
@ApiSchema({
  name: 'CompleteTask',
  description:
    'Optional body of PATCH /api/{user_id}/tasks/{task_id}/complete. Without a body (or with {}) the task is toggled; with `completed` it is set to that value, so a retry does not flip it back.',
})
export class CompleteTaskDto {
  @ApiPropertyOptional(COMPLETED_API)
  completed?: boolean;
}

/** `@Body(CompleteTaskBody)`: no body at all, `{}`, or `{"completed": true|false}`. */
export const CompleteTaskBody = new JsonBodyPipe<CompleteTaskDto | undefined>({
  fields: { completed: checkCompleted },
  optional: true,
});
