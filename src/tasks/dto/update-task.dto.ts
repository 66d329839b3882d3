import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { JsonBodyPipe } from '../../common/json-body.pipe';
import { COMPLETED_API, DESCRIPTION_API, TASK_FIELDS, TITLE_API } from './task-fields';

/** A partial update: any of the fields, at least one (checked by the controller). */
@ApiSchema({
  name: 'UpdateTask',
  description:
    'Body of PUT and PATCH /api/{user_id}/tasks/{task_id}: a partial update, at least one field. Any other field is refused (400).',
})
export class UpdateTaskDto {
  @ApiPropertyOptional(TITLE_API)
  title?: string;

  @ApiPropertyOptional(DESCRIPTION_API)
  description?: string | null;

  @ApiPropertyOptional(COMPLETED_API)
  completed?: boolean;
}

/**
 * `@Body(UpdateTaskBody)`: every field optional, but a field that is sent is checked as on
 * create, so `"title": null` or `"completed": null` is refused rather than reaching a NOT NULL
 * column; `"description": null` clears the description.
 */
export const UpdateTaskBody = new JsonBodyPipe<UpdateTaskDto>({
  fields: TASK_FIELDS,
});
