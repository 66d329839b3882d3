import { BodyField, JsonBody } from '../../common/json-body.decorators';
import { COMPLETED, DESCRIPTION, TITLE } from '../task-rules';

@JsonBody({
  name: 'CreateTask',
  description: 'Body of POST /api/{user_id}/tasks. Any other field is refused (400).',
})
export class CreateTaskDto {
  @BodyField(TITLE, { required: true })
  title: string;

  @BodyField(DESCRIPTION, { default: null })
  description?: string | null;

  @BodyField(COMPLETED, { default: false })
  completed?: boolean;
}
