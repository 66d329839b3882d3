import { IsOptional, ValidateIf } from 'class-validator';
import { CompletedField, DescriptionField, TitleField } from './task-fields';

/** A partial update: any of the fields, at least one (checked by the controller). */
export class UpdateTaskDto {
  // Not @IsOptional(): that would let `"title": null` through to a NOT NULL column.
  @ValidateIf((o: UpdateTaskDto) => o.title !== undefined)
  @TitleField()
  title?: string;

  @IsOptional()
  @DescriptionField()
  description?: string | null;

  @IsOptional()
  @CompletedField()
  completed?: boolean;
}
