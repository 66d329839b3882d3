import { ApiProperty } from '@nestjs/swagger';
import { USER_ID_MAX_LENGTH } from '../../common/user-id';
import { OpenApiSchema } from '../../openapi/schema.decorator';
import type { Task } from '../task.entity';
import { DESCRIPTION_MAX, TITLE_MAX } from '../task-rules';

/** A task as the API shows it: snake_case, timestamps as ISO-8601 UTC with milliseconds. */
export interface TaskResponse {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

export function toTaskResponse(task: Task): TaskResponse {
  return {
    id: task.id,
    user_id: task.userId,
    title: task.title,
    description: task.description,
    completed: task.completed,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}

/**
 * The OpenAPI schema of {@link TaskResponse}. Documentation only: responses are built as plain
 * objects by `toTaskResponse` (a hot path), never as instances of this class.
 */
@OpenApiSchema({
  name: 'Task',
  description: 'A task, as every task route returns it.',
  closed: true,
})
export class TaskResponseDto implements TaskResponse {
  @ApiProperty({ format: 'uuid', example: '0b7f5e3c-6a2d-4f59-9a8e-2f1f3c4d5e6f' })
  id: string;

  @ApiProperty({
    minLength: 1,
    maxLength: USER_ID_MAX_LENGTH,
    description: 'The owner (the token subject).',
  })
  user_id: string;

  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX, example: 'Buy milk' })
  title: string;

  @ApiProperty({ type: String, nullable: true, maxLength: DESCRIPTION_MAX })
  description: string | null;

  @ApiProperty({ example: false })
  completed: boolean;

  @ApiProperty({ format: 'date-time', description: 'ISO-8601 UTC with milliseconds.' })
  created_at: string;

  @ApiProperty({
    format: 'date-time',
    description: 'ISO-8601 UTC with milliseconds; set by the database on every change.',
  })
  updated_at: string;
}
