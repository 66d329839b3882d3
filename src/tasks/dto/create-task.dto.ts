import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  COMPLETED_API,
  CompletedField,
  DESCRIPTION_API,
  DescriptionField,
  TITLE_API,
  TitleField,
} from './task-fields';

@ApiSchema({
  name: 'CreateTask',
  description: 'Body of POST /api/{user_id}/tasks. Any other field is refused (400).',
})
export class CreateTaskDto {
  @ApiProperty(TITLE_API)
  @TitleField()
  title: string;

  @ApiPropertyOptional({ ...DESCRIPTION_API, default: null })
  @IsOptional()
  @DescriptionField()
  description?: string | null;

  @ApiPropertyOptional({ ...COMPLETED_API, default: false })
  @CompletedField()
  completed?: boolean;
}
