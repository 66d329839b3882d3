import { BodyField, JsonBody } from '../../common/json-body.decorators';
import { COMPLETED, DESCRIPTION, TITLE } from '../task-rules';

/**
 * A partial update: every field optional, but a field that is sent is checked as on create, so
 * `"title": null` or `"completed": null` is refused rather than reaching a NOT NULL column;
 * `"description": null` clears the description.
 */
@JsonBody({
  name: 'UpdateTask',
  description:
    'Body of PUT and PATCH /api/{user_id}/tasks/{task_id}: a partial update, at least one field. Any other field is refused (400).',
  atLeastOne: true,
})
export class UpdateTaskDto {
  @BodyField(TITLE)
  title?: string;

  @BodyField(DESCRIPTION)
  description?: string | null;

  @BodyField(COMPLETED)
  completed?: boolean;
}
