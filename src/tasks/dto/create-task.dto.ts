import { IsOptional } from 'class-validator';
import { CompletedField, DescriptionField, TitleField } from './task-fields';

export class CreateTaskDto {
  @TitleField()
  title: string;

  @IsOptional()
  @DescriptionField()
  description?: string | null;

  @IsOptional()
  @CompletedField()
  completed?: boolean;
}
