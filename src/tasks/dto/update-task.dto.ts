import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
import {
  COMPLETED_API,
  CompletedField,
  DESCRIPTION_API,
  DescriptionField,
  TITLE_API,
  TitleField,
} from './task-fields';

/** A partial update: any of the fields, at least one (checked by the controller). */
@ApiSchema({
  name: 'UpdateTask',
  description:
    'Body of PUT and PATCH /api/{user_id}/tasks/{task_id}: a partial update, at least one field. Any other field is refused (400).',
})
export class UpdateTaskDto {
  // Not @IsOptional(): that would let `"title": null` through to a NOT NULL column.
  @ApiPropertyOptional(TITLE_API)
  @ValidateIf((o: UpdateTaskDto) => o.title !== undefined)
  @TitleField()
  title?: string;

  @ApiPropertyOptional(DESCRIPTION_API)
  @IsOptional()
  @DescriptionField()
  description?: string | null;

  @ApiPropertyOptional(COMPLETED_API)
  @CompletedField()
  completed?: boolean;
}
