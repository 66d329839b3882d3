import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { JsonBodyPipe } from '../../common/json-body.pipe';
import { COMPLETED_API, DESCRIPTION_API, TASK_FIELDS, TITLE_API } from './task-fields';

@ApiSchema({
  name: 'CreateTask',
  description: 'Body of POST /api/{user_id}/tasks. Any other field is refused (400).',
})
export class CreateTaskDto {
  @ApiProperty(TITLE_API)
  title: string;

  @ApiPropertyOptional({ ...DESCRIPTION_API, default: null })
  description?: string | null;

  @ApiPropertyOptional({ ...COMPLETED_API, default: false })
  completed?: boolean;
}

/** `@Body(CreateTaskBody)`: the title is required, the rest optional. */
export const CreateTaskBody = new JsonBodyPipe<CreateTaskDto>({
  fields: TASK_FIELDS,
  required: ['title'],
});
