import { BodyField, JsonBody } from '../core/validation/json-body.decorators';
import { booleanRule, textRule } from '../core/validation/field-rules';
import { DESCRIPTION_MAX, TITLE_MAX } from './task.entity';

export const TITLE = textRule({
  trim: true,
  minLength: 1,
  maxLength: TITLE_MAX,
  description: `Trimmed before it is checked and stored; 1 to ${TITLE_MAX} characters (Unicode code points) after trimming; no control characters (U+0000–U+001F, U+007F) and no lone surrogates.`,
  example: 'Buy milk',
});

export const DESCRIPTION = textRule({
  maxLength: DESCRIPTION_MAX,
  nullable: true,
  allowLineBreaks: true,
  description: `null, or at most ${DESCRIPTION_MAX} characters; no control characters (U+0000–U+001F, U+007F) other than tab, line feed and carriage return, and no lone surrogates. Stored as sent.`,
  example: 'Two litres, semi-skimmed',
});

/** null is refused too: it is not a boolean, and it would reach a NOT NULL column. */
export const COMPLETED = booleanRule({
  description: 'A JSON boolean; strings such as "true" are refused.',
  example: false,
});

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

/** A partial update: a field that is sent is checked as on create; `description: null` clears it. */
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
