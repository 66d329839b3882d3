import { BodyField, JsonBody } from '../../common/json-body.decorators';
import { COMPLETED } from '../task-rules';

/** Optional body of PATCH …/complete: no body at all, `{}`, or `{"completed": true|false}`. */
@JsonBody({
  name: 'CompleteTask',
  description:
    'Optional body of PATCH /api/{user_id}/tasks/{task_id}/complete. Without a body (or with {}) the task is toggled; with `completed` it is set to that value, so a retry does not flip it back.',
  optional: true,
})
export class CompleteTaskDto {
  @BodyField(COMPLETED)
  completed?: boolean;
}
